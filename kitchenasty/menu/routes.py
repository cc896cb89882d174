"""`/api/menu`: public reads (the storefront's whole menu among them); create/update SUPER_ADMIN or MANAGER;
delete SUPER_ADMIN."""

from __future__ import annotations

from typing import Annotated, Any

from litestar import Controller, MediaType, Response, delete, get, patch, post, put
from litestar.openapi.datastructures import ResponseSpec
from litestar.params import FromPath, JSONBody, QueryParameter
from litestar.status_codes import HTTP_200_OK, HTTP_201_CREATED

from kitchenasty.core.api import Message, Ok, Page, PageParams, ok, page
from kitchenasty.core.guards import admin_only, manager_or_admin
from kitchenasty.core.http import LimitQuery, PageQuery
from kitchenasty.core.openapi import errors
from kitchenasty.menu.schemas import (
    AllergenIn,
    AllergenOut,
    CategoryDetailOut,
    CategoryIn,
    CategoryOrderIn,
    CategoryTreeOut,
    CategoryUpdateIn,
    ItemFilter,
    MealtimeIn,
    MealtimeOut,
    MealtimeUpdateIn,
    MenuItemIn,
    MenuItemListOut,
    MenuItemOut,
    MenuItemUpdateIn,
    RepriceIn,
    RepriceOut,
    StoreMenu,
)
from kitchenasty.services import ServicesDep

LocationQuery = Annotated[str | None, QueryParameter(name="locationId", max_length=64)]


class MenuController(Controller):
    path = "/api/menu"
    tags = ["menu"]

    @get(
        "/",
        summary="A location's whole orderable menu (storefront)",
        responses={200: ResponseSpec(data_container=Ok[StoreMenu], description="The menu"), **errors(404)},
    )
    async def storefront_menu(self, services: ServicesDep, location_id: LocationQuery = None) -> Response[bytes]:
        # The hot path: the envelope `Ok[StoreMenu]` comes pre-encoded from the service's cache.
        return Response(await services.menu.storefront_json(location_id), media_type=MediaType.JSON)

    # ---------------------------------------------------------------- categories

    @get("/categories", summary="The category tree (inactive categories included)")
    async def category_tree(
        self, services: ServicesDep, location_id: LocationQuery = None
    ) -> Ok[list[CategoryTreeOut]]:
        return ok(await services.menu.category_tree(location_id))

    @put(
        "/categories/order",
        guards=[manager_or_admin],
        summary="Reorder the categories under one parent (all of them, in one request); answers the tree",
    )
    async def order_categories(
        self, data: JSONBody[CategoryOrderIn], services: ServicesDep
    ) -> Ok[list[CategoryTreeOut]]:
        return ok(await services.menu.order_categories(data))

    @get("/categories/{category_id:str}")
    async def get_category(self, category_id: FromPath[str], services: ServicesDep) -> Ok[CategoryDetailOut]:
        return ok(await services.menu.get_category(category_id))

    @post("/categories", guards=[manager_or_admin], status_code=HTTP_201_CREATED, responses=errors(409))
    async def create_category(self, data: JSONBody[CategoryIn], services: ServicesDep) -> Ok[CategoryDetailOut]:
        return ok(await services.menu.create_category(data))

    @patch("/categories/{category_id:str}", guards=[manager_or_admin])
    async def update_category(
        self, category_id: FromPath[str], data: JSONBody[CategoryUpdateIn], services: ServicesDep
    ) -> Ok[CategoryDetailOut]:
        return ok(await services.menu.update_category(category_id, data))

    @post(
        "/categories/{category_id:str}/reprice",
        guards=[manager_or_admin],
        status_code=HTTP_200_OK,
        summary="Change every price in a category by a percentage (one transaction); answers what changed",
    )
    async def reprice_category(
        self, category_id: FromPath[str], data: JSONBody[RepriceIn], services: ServicesDep
    ) -> Ok[RepriceOut]:
        return ok(await services.menu.reprice_category(category_id, data))

    @delete("/categories/{category_id:str}", guards=[admin_only], status_code=HTTP_200_OK, responses=errors(409))
    async def delete_category(self, category_id: FromPath[str], services: ServicesDep) -> Message:
        await services.menu.delete_category(category_id)
        return Message(message="Category deleted")

    # ---------------------------------------------------------------- items

    @get("/items", summary="Menu items (inactive and sold-out ones included)")
    async def list_items(
        self,
        services: ServicesDep,
        page_number: PageQuery = 1,
        limit: LimitQuery = 20,
        category_id: Annotated[str | None, QueryParameter(name="categoryId", max_length=64)] = None,
        include_subcategories: Annotated[bool, QueryParameter(name="includeSubcategories")] = False,
        search: Annotated[str | None, QueryParameter(max_length=100)] = None,
    ) -> Page[MenuItemListOut]:
        params = PageParams(page=page_number, limit=limit)
        filters = ItemFilter(category_id=category_id, include_subcategories=include_subcategories, search=search)
        items, total = await services.menu.list_items(params, filters)
        return page(items, page=params.page, limit=params.limit, total=total)

    @get("/items/{item_id:str}")
    async def get_item(self, item_id: FromPath[str], services: ServicesDep) -> Ok[MenuItemOut]:
        return ok(await services.menu.get_item(item_id))

    @post("/items", guards=[manager_or_admin], status_code=HTTP_201_CREATED, responses=errors(409))
    async def create_item(self, data: JSONBody[MenuItemIn], services: ServicesDep) -> Ok[MenuItemOut]:
        return ok(await services.menu.create_item(data))

    @patch("/items/{item_id:str}", guards=[manager_or_admin], responses=errors(409))
    async def update_item(
        self, item_id: FromPath[str], data: JSONBody[MenuItemUpdateIn], services: ServicesDep
    ) -> Ok[MenuItemOut]:
        return ok(await services.menu.update_item(item_id, data))

    @post(
        "/items/{item_id:str}/sold-out",
        guards=[manager_or_admin],
        status_code=HTTP_200_OK,
        summary="Mark an item sold out (it stays on the menu, not orderable); answers its list row",
    )
    async def mark_sold_out(self, item_id: FromPath[str], services: ServicesDep) -> Ok[MenuItemListOut]:
        return ok(await services.menu.set_sold_out(item_id, True))

    @post(
        "/items/{item_id:str}/available",
        guards=[manager_or_admin],
        status_code=HTTP_200_OK,
        summary="Mark a sold-out item available again (a stock-tracked one needs stock); answers its list row",
    )
    async def mark_available(self, item_id: FromPath[str], services: ServicesDep) -> Ok[MenuItemListOut]:
        return ok(await services.menu.set_sold_out(item_id, False))

    @post(
        "/items/{item_id:str}/duplicate",
        guards=[manager_or_admin],
        status_code=HTTP_201_CREATED,
        responses=errors(409),
        summary='Copy an item as "<name> (copy)", inactive, with its options, allergens and mealtimes',
    )
    async def duplicate_item(self, item_id: FromPath[str], services: ServicesDep) -> Ok[MenuItemOut]:
        return ok(await services.menu.duplicate_item(item_id))

    @delete("/items/{item_id:str}", guards=[admin_only], status_code=HTTP_200_OK, responses=errors(409))
    async def delete_item(self, item_id: FromPath[str], services: ServicesDep) -> Message:
        await services.menu.delete_item(item_id)
        return Message(message="Menu item deleted")

    # ---------------------------------------------------------------- allergens

    @get("/allergens")
    async def list_allergens(self, services: ServicesDep) -> Ok[list[AllergenOut]]:
        return ok(await services.menu.list_allergens())

    @post("/allergens", guards=[manager_or_admin], status_code=HTTP_201_CREATED, responses=errors(409))
    async def create_allergen(self, data: JSONBody[AllergenIn], services: ServicesDep) -> Ok[AllergenOut]:
        return ok(await services.menu.create_allergen(data))

    @delete("/allergens/{allergen_id:str}", guards=[admin_only], status_code=HTTP_200_OK)
    async def delete_allergen(self, allergen_id: FromPath[str], services: ServicesDep) -> Message:
        await services.menu.delete_allergen(allergen_id)
        return Message(message="Allergen deleted")

    # ---------------------------------------------------------------- mealtimes

    @get("/mealtimes")
    async def list_mealtimes(self, services: ServicesDep, location_id: LocationQuery = None) -> Ok[list[MealtimeOut]]:
        return ok(await services.menu.list_mealtimes(location_id))

    @post("/mealtimes", guards=[manager_or_admin], status_code=HTTP_201_CREATED)
    async def create_mealtime(self, data: JSONBody[MealtimeIn], services: ServicesDep) -> Ok[MealtimeOut]:
        return ok(await services.menu.create_mealtime(data))

    @patch("/mealtimes/{mealtime_id:str}", guards=[manager_or_admin])
    async def update_mealtime(
        self, mealtime_id: FromPath[str], data: JSONBody[MealtimeUpdateIn], services: ServicesDep
    ) -> Ok[MealtimeOut]:
        return ok(await services.menu.update_mealtime(mealtime_id, data))

    @delete("/mealtimes/{mealtime_id:str}", guards=[admin_only], status_code=HTTP_200_OK)
    async def delete_mealtime(self, mealtime_id: FromPath[str], services: ServicesDep) -> Message:
        await services.menu.delete_mealtime(mealtime_id)
        return Message(message="Mealtime deleted")


ROUTES: list[Any] = [MenuController]
