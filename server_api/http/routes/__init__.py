"""The REST routes, one router per resource. Each route parses, makes one store call, serializes."""
