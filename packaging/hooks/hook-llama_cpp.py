# llama-cpp-python loads libllama/libggml with ctypes from llama_cpp/lib at run time,
# which PyInstaller's import analysis cannot see. kura_build.json is the record Kura's
# build step (packaging/llama_runtime.py) wrote: `kura doctor` reads it in the frozen app.
from PyInstaller.utils.hooks import collect_data_files, collect_dynamic_libs

binaries = collect_dynamic_libs("llama_cpp")
datas = collect_data_files("llama_cpp", includes=["kura_build.json"])
