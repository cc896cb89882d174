from tests.realtime.fixtures import data_dir, http, server, world, world_template
from tests.web.conftest import browser, contexts, playwright, screenshots

__all__ = ["browser", "contexts", "data_dir", "http", "playwright", "screenshots", "server", "world", "world_template"]
