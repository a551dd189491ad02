# llama-cpp-python loads libllama/libggml with ctypes from llama_cpp/lib at run time,
# which PyInstaller's import analysis cannot see.
from PyInstaller.utils.hooks import collect_dynamic_libs

binaries = collect_dynamic_libs("llama_cpp")
