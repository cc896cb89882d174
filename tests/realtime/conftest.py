from tests.realtime.fixtures import data_dir, http, server, world, world_template

__all__ = ["data_dir", "http", "server", "world", "world_template"]
