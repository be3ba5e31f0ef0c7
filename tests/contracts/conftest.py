from contracts.fixtures import _compiled_messages, _test_products, world  # noqa: F401
