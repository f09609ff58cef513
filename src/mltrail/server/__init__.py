"""The tracking server: an ASGI application speaking MLflow's REST protocol.

``mltrail.server.app.create_app(config)`` builds the application; ``mltrail server`` runs it
on uvicorn. Nothing here is imported by ``import mltrail``.
"""
