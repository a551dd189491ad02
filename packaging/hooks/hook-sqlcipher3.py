# sqlcipher3-binary: the extension links SQLCipher statically; keep its package files.
from PyInstaller.utils.hooks import collect_dynamic_libs

binaries = collect_dynamic_libs("sqlcipher3")
hiddenimports = ["sqlcipher3.dbapi2"]
