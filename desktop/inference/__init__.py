"""llama-cpp-python adapter (arrives with the models issue)."""
