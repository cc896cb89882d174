"""`kitchenasty init --demo`: a believable restaurant to try the product with.

One location ("Saffron & Sage") with its hours and tables, a nested menu with option groups, allergens and two
mealtimes are written in ONE transaction through the services' validating builders, so a failure leaves nothing
behind. The WELCOME10 coupon is then created through the coupons service.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from sqlalchemy import func, select

from kitchenasty.core.errors import Conflict
from kitchenasty.coupons.schemas import CouponIn
from kitchenasty.locations.models import Location
from kitchenasty.locations.schemas import LocationIn, OperatingHourIn, TableIn
from kitchenasty.menu.models import Allergen
from kitchenasty.menu.schemas import CategoryIn, MealtimeIn, MenuItemIn, OptionIn, OptionValueIn

if TYPE_CHECKING:
    from kitchenasty.services import Services

DEMO_SLUG = "saffron-and-sage"
ALLERGENS = ("Gluten", "Dairy", "Nuts", "Eggs", "Soy", "Shellfish", "Fish", "Sesame")
WEEKDAYS = [1, 2, 3, 4, 5]
EVERY_DAY = [0, 1, 2, 3, 4, 5, 6]

# (slug, name, parent slug, description)
CATEGORIES: tuple[tuple[str, str, str | None, str], ...] = (
    ("starters", "Starters", None, "Small plates to share, or not."),
    ("mains", "Mains", None, "Wood-fired pizza, fresh pasta and bowls."),
    ("pizza", "Pizza", "mains", "Sourdough base, 48-hour proof, wood-fired."),
    ("pasta", "Pasta", "mains", "Made in house every morning."),
    ("bowls", "Bowls", "mains", "Grains, greens and something warm."),
    ("drinks", "Drinks", None, "Hot and cold."),
    ("hot-drinks", "Hot Drinks", "drinks", "Teas and our house chai."),
    ("coffee", "Coffee", "hot-drinks", "Single-origin espresso from a local roaster."),
    ("cold-drinks", "Cold Drinks", "drinks", "Pressed, shaken and poured."),
    ("desserts", "Desserts", None, "Worth saving room for."),
)


def _v(name: str, modifier: str = "0", default: bool = False) -> OptionValueIn:
    return OptionValueIn(name=name, price_modifier=Decimal(modifier), is_default=default)


def _size_pizza() -> OptionIn:
    return OptionIn(
        name="Size",
        display_type="RADIO",
        is_required=True,
        values=[_v('Small 10"', "-2.00"), _v('Medium 12"', default=True), _v('Large 14"', "4.00")],
    )


def _toppings() -> OptionIn:
    return OptionIn(
        name="Extra toppings",
        display_type="CHECKBOX",
        max_select=3,
        values=[
            _v("Extra mozzarella", "1.50"),
            _v("Mushrooms", "1.00"),
            _v("Olives", "1.00"),
            _v("Jalapeños", "1.00"),
            _v("Rocket", "1.00"),
        ],
    )


def _crust() -> OptionIn:
    return OptionIn(
        name="Crust",
        display_type="SELECT",
        values=[_v("Classic", default=True), _v("Thin"), _v("Gluten-free", "2.50")],
    )


def _milk() -> OptionIn:
    return OptionIn(
        name="Milk",
        display_type="SELECT",
        is_required=True,
        values=[
            _v("Whole milk", default=True),
            _v("Oat milk", "0.50"),
            _v("Almond milk", "0.50"),
            _v("Soy milk", "0.50"),
        ],
    )


def _cup() -> OptionIn:
    return OptionIn(
        name="Cup size",
        display_type="RADIO",
        is_required=True,
        values=[_v("Regular", default=True), _v("Large", "0.70")],
    )


def _coffee_extras() -> OptionIn:
    return OptionIn(
        name="Extras",
        display_type="CHECKBOX",
        max_select=2,
        values=[_v("Extra shot", "0.80"), _v("Vanilla syrup", "0.50")],
    )


def _spice() -> OptionIn:
    return OptionIn(
        name="Spice level",
        display_type="RADIO",
        is_required=True,
        values=[_v("Mild"), _v("Medium", default=True), _v("Hot")],
    )


def _protein() -> OptionIn:
    return OptionIn(
        name="Add protein",
        display_type="CHECKBOX",
        max_select=2,
        values=[_v("Grilled chicken", "3.00"), _v("Garlic prawns", "4.50")],
    )


def _base() -> OptionIn:
    return OptionIn(
        name="Base",
        display_type="RADIO",
        is_required=True,
        values=[_v("Saffron rice", default=True), _v("Quinoa", "1.00"), _v("Mixed greens")],
    )


@dataclass
class Dish:
    slug: str
    name: str
    category: str
    price: str
    description: str
    allergens: tuple[str, ...] = ()
    options: list[OptionIn] = field(default_factory=list)
    mealtime: str | None = None
    stock: int | None = None


# fmt: off
def _dishes() -> list[Dish]:
    return [
        Dish("garlic-flatbread", "Garlic Flatbread", "starters", "6.50", "Wood-fired, with confit garlic and parsley.",
             ("Gluten", "Dairy"),
             [OptionIn(name="Dips", display_type="QUANTITY", max_select=3,
                       values=[_v("Garlic aioli", "0.80"), _v("Harissa mayo", "0.80"), _v("Tzatziki", "0.80")])]),
        Dish("chili-garlic-prawns", "Chili Garlic Prawns", "starters", "9.50", "Sizzling in olive oil, with lemon.",
             ("Shellfish",)),
        Dish("hummus-pita", "Hummus & Warm Pita", "starters", "7.00", "Smoked paprika, olive oil, warm pita.",
             ("Sesame", "Gluten")),
        Dish("soup-of-the-day", "Soup of the Day", "starters", "6.00", "Ask us what's in the pot today.", ("Dairy",),
             [OptionIn(name="Bread", display_type="RADIO", is_required=True,
                       values=[_v("Sourdough", default=True), _v("Gluten-free roll", "1.00")])]),
        Dish("mezze-platter", "Sharing Mezze Platter", "starters", "18.00",
             "Hummus, baba ghanoush, falafel, pickles and pita for two. Dinner only.", ("Sesame", "Gluten", "Dairy"),
             mealtime="Dinner"),
        Dish("margherita", "Margherita", "pizza", "12.00", "San Marzano tomato, fior di latte, basil.",
             ("Gluten", "Dairy"), [_size_pizza(), _crust(), _toppings()]),
        Dish("pepperoni", "Pepperoni", "pizza", "14.00", "Tomato, mozzarella, spicy pepperoni, hot honey.",
             ("Gluten", "Dairy"), [_size_pizza(), _crust(), _toppings()]),
        Dish("roasted-veggie", "Roasted Veggie", "pizza", "13.50", "Courgette, peppers, red onion, goat cheese.",
             ("Gluten", "Dairy"), [_size_pizza(), _crust(), _toppings()]),
        Dish("spicy-nduja", "Spicy 'Nduja", "pizza", "15.00", "'Nduja, mozzarella, roasted peppers, oregano.",
             ("Gluten", "Dairy"), [_size_pizza(), _crust(), _toppings()]),
        Dish("spaghetti-carbonara", "Spaghetti Carbonara", "pasta", "13.00", "Guanciale, egg yolk, pecorino, pepper.",
             ("Gluten", "Eggs", "Dairy"), [_protein()]),
        Dish("penne-arrabbiata", "Penne Arrabbiata", "pasta", "11.50", "Tomato, garlic and a proper chili kick.",
             ("Gluten",), [_spice(), _protein()]),
        Dish("pesto-linguine", "Pesto Linguine", "pasta", "12.50", "Basil and pine nut pesto, parmesan.",
             ("Gluten", "Nuts", "Dairy"), [_protein()]),
        Dish("express-pasta-lunch", "Express Pasta Lunch", "pasta", "9.50",
             "Pasta of the day and a soft drink. Weekday lunch only.", ("Gluten",), mealtime="Lunch"),
        Dish("saffron-chicken-bowl", "Saffron Chicken Bowl", "bowls", "13.50",
             "Chargrilled chicken, saffron yoghurt, pickled onion.", ("Dairy",), [_base(), _spice()]),
        Dish("falafel-bowl", "Falafel Bowl", "bowls", "12.00", "Crispy falafel, tahini, tabbouleh.", ("Sesame",),
             [_base(), _spice()]),
        Dish("salmon-poke-bowl", "Salmon Poke Bowl", "bowls", "15.50",
             "Sushi-grade salmon, edamame, soy-sesame dressing. Limited each day.", ("Fish", "Soy", "Sesame"),
             [_base()], stock=12),
        Dish("lunch-bowl", "Lunch Bowl of the Day", "bowls", "9.90", "The chef's bowl, weekday lunch only.",
             ("Sesame",), [_spice()], mealtime="Lunch"),
        Dish("espresso", "Espresso", "coffee", "2.80", "A double shot.", (), [_coffee_extras()]),
        Dish("flat-white", "Flat White", "coffee", "3.60", "Velvety and strong.", ("Dairy",),
             [_milk(), _coffee_extras()]),
        Dish("cappuccino", "Cappuccino", "coffee", "3.60", "Classic, with a cocoa dusting.", ("Dairy",),
             [_cup(), _milk(), _coffee_extras()]),
        Dish("latte", "Latte", "coffee", "3.90", "Smooth and milky.", ("Dairy",), [_cup(), _milk(), _coffee_extras()]),
        Dish("masala-chai", "Masala Chai", "hot-drinks", "3.50", "House-spiced, simmered with milk.", ("Dairy",),
             [_cup(), _milk()]),
        Dish("fresh-mint-tea", "Fresh Mint Tea", "hot-drinks", "2.90", "A pot of fresh mint, honey on the side."),
        Dish("homemade-lemonade", "Homemade Lemonade", "cold-drinks", "3.80", "Lemon, a little sugar, lots of ice.",
             (), [OptionIn(name="Flavour", display_type="SELECT", is_required=True,
                           values=[_v("Classic", default=True), _v("Raspberry", "0.50"), _v("Ginger", "0.50")])]),
        Dish("mango-lassi", "Mango Lassi", "cold-drinks", "4.50", "Alphonso mango and yoghurt.", ("Dairy",)),
        Dish("sparkling-water", "Sparkling Water", "cold-drinks", "2.50", "750 ml bottle."),
        Dish("tiramisu", "Tiramisu", "desserts", "7.00", "Espresso-soaked, mascarpone, cocoa.",
             ("Gluten", "Eggs", "Dairy")),
        Dish("saffron-panna-cotta", "Saffron Panna Cotta", "desserts", "6.50",
             "With pistachio crumb. Made in small batches.", ("Dairy", "Nuts"), stock=8),
        Dish("chocolate-brownie", "Chocolate Brownie", "desserts", "6.00", "Warm, gooey, walnut.",
             ("Gluten", "Eggs", "Dairy", "Nuts"),
             [OptionIn(name="On the side", display_type="CHECKBOX", max_select=1,
                       values=[_v("Vanilla ice cream", "1.50"), _v("Whipped cream", "1.00")])]),
    ]
# fmt: on


def _location() -> LocationIn:
    return LocationIn(
        name="Saffron & Sage",
        slug=DEMO_SLUG,
        description="Wood-fired pizza, fresh pasta and Levantine bowls in the Mission.",
        phone="+1 415 555 0142",
        email="hello@saffronandsage.example",
        address="214 Valencia Street",
        city="San Francisco",
        state="CA",
        postal_code="94103",
        country="US",
        lat=37.7693,
        lng=-122.4221,
        delivery_enabled=True,
        pickup_enabled=True,
        dine_in_enabled=True,
        min_order_delivery=Decimal("12.00"),
        min_order_pickup=Decimal("0"),
        delivery_lead_time=35,
        pickup_lead_time=15,
        # Open around the clock, so that whoever tries the demo can place an order at once, at any hour and in any
        # time zone (a real restaurant sets its hours in the back office).
        operating_hours=[OperatingHourIn(day_of_week=day, open_time="00:00", close_time="00:00") for day in range(7)],
    )


async def seed_demo(services: Services) -> str:
    """Write the demo restaurant; refuses (nothing written) when it is already there. Returns a one-line summary."""
    async with services.db.session() as session:
        if await session.scalar(select(Location.id).where(Location.slug == DEMO_SLUG)):
            raise Conflict("demo data already present (location 'saffron-and-sage' exists)", code="DEMO_PRESENT")
    defaults = await services.settings.resolved()
    dishes = _dishes()
    menu, locations = services.menu, services.locations
    async with services.db.transaction() as session:
        location = await locations.create_in(session, _location(), defaults)
        for number in range(1, 9):
            seats = 2 if number <= 4 else 4 if number <= 7 else 6
            await locations.create_table_in(session, location.id, TableIn(name=f"Table {number}", capacity=seats))
        allergens: dict[str, Any] = {
            a.name.lower(): a
            for a in await session.scalars(
                select(Allergen).where(func.lower(Allergen.name).in_([name.lower() for name in ALLERGENS]))
            )
        }
        for name in ALLERGENS:
            if name.lower() not in allergens:
                allergens[name.lower()] = await menu.create_allergen_in(session, name)
        categories: dict[str, str] = {}
        for position, (slug, name, parent, description) in enumerate(CATEGORIES):
            category = await menu.create_category_in(
                session,
                CategoryIn(
                    name=name,
                    slug=slug,
                    description=description,
                    sort_order=position,
                    parent_id=categories[parent] if parent else None,
                ),
            )
            categories[slug] = category.id
        mealtimes = {
            "Lunch": await menu.create_mealtime_in(
                session, MealtimeIn(name="Lunch", start_time="11:00", end_time="15:00", days=WEEKDAYS)
            ),
            "Dinner": await menu.create_mealtime_in(
                session, MealtimeIn(name="Dinner", start_time="17:00", end_time="22:00", days=EVERY_DAY)
            ),
        }
        for position, dish in enumerate(dishes):
            await menu.create_item_in(
                session,
                MenuItemIn(
                    name=dish.name,
                    slug=dish.slug,
                    description=dish.description,
                    price=Decimal(dish.price),
                    sort_order=position,
                    category_id=categories[dish.category],
                    track_stock=dish.stock is not None,
                    stock_qty=dish.stock or 0,
                    options=dish.options,
                    allergen_ids=[allergens[a.lower()].id for a in dish.allergens],
                    mealtime_ids=[mealtimes[dish.mealtime].id] if dish.mealtime else [],
                ),
            )
    coupon = "coupon WELCOME10 (10% off orders from 20.00)"
    try:
        await services.coupons.create(
            CouponIn(code="WELCOME10", type="PERCENTAGE", value=Decimal(10), min_order=Decimal(20))
        )
    except Conflict:
        coupon = "coupon WELCOME10 already existed (kept as it was)"
    return (
        f"demo restaurant 'Saffron & Sage': 1 location, 8 tables, {len(CATEGORIES)} categories, {len(dishes)} items, "
        f"{len(ALLERGENS)} allergens, 2 mealtimes, {coupon}"
    )
