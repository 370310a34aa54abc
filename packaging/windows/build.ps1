# Windows: the bundle (PyInstaller) and its installer (Inno Setup 6, `iscc` on the PATH).
# Run from the repository root in PowerShell, with Python 3.12+ and uv installed:
#   powershell -ExecutionPolicy Bypass -File packaging\windows\build.ps1
$ErrorActionPreference = "Stop"
uv sync --frozen --extra package
$version = .venv\Scripts\python -c "from importlib.metadata import version; print(version('reservations-desktop'))"
.venv\Scripts\python -m PyInstaller --noconfirm --clean --distpath dist --workpath build\pyinstaller packaging\reservations-desktop.spec
iscc "/DAppVersion=$version" packaging\windows\reservations.iss
Write-Host "package: dist\reservations-desktop-$version-setup.exe"
