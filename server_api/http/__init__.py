"""The HTTP face: a FastAPI app whose routes each parse, make one store call, serialize."""
