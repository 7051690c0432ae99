# Windows build: dist\PlanLedger\ (PyInstaller) and dist\PlanLedger-<version>-setup.exe (Inno Setup).
#   powershell -ExecutionPolicy Bypass -File installer\build.ps1
# Needs: 64-bit Python 3.11 from python.org (the "py" launcher), Inno Setup 6.3+ (ISCC.exe), and
# installer\ChineseSimplified.isl (see docs/installer.md). Internet only for the first pip install.
# Written to mirror installer/build (Linux); it cannot be run on the Linux build machine.
$ErrorActionPreference = "Stop"
$Root = Split-Path -Parent $PSScriptRoot
Set-Location $Root
$Venv = if ($env:PLANLEDGER_BUILD_VENV) { $env:PLANLEDGER_BUILD_VENV } else { Join-Path $Root "build\venv" }
$Py = Join-Path $Venv "Scripts\python.exe"
$timer = [Diagnostics.Stopwatch]::StartNew()

function Check($what) { if ($LASTEXITCODE -ne 0) { throw "$what failed (exit $LASTEXITCODE)" } }

if (-not (Test-Path $Py)) {
    py -3.11 -m venv $Venv; Check "python -m venv"
    & $Py -m pip install --upgrade pip; Check "pip upgrade"
}
# the app's runtime dependencies, read from pyproject.toml, plus PyInstaller
$deps = & $Py -c "import tomllib; print('\n'.join(tomllib.load(open('pyproject.toml','rb'))['project']['dependencies']))"
Check "reading pyproject.toml"
& $Py -m pip install @($deps | Where-Object { $_ }) -r installer\requirements-build.txt; Check "pip install"

& $Py -m PyInstaller --noconfirm --log-level WARN --distpath dist --workpath build\pyinstaller installer\planledger.spec
Check "PyInstaller"
& dist\PlanLedger\planledger.exe --version; Check "planledger.exe --version"

$iscc = @(
    "${env:ProgramFiles(x86)}\Inno Setup 6\ISCC.exe",
    "$env:ProgramFiles\Inno Setup 6\ISCC.exe",
    "$env:LOCALAPPDATA\Programs\Inno Setup 6\ISCC.exe"
) | Where-Object { Test-Path $_ } | Select-Object -First 1
if (-not $iscc) { throw "ISCC.exe (Inno Setup 6) not found" }
& $iscc installer\planledger.iss; Check "ISCC"

$size = (Get-ChildItem dist\PlanLedger -Recurse | Measure-Object Length -Sum).Sum / 1MB
Write-Host ("bundle {0:N0} MB, build {1:N0} s" -f $size, $timer.Elapsed.TotalSeconds)
Get-ChildItem dist\PlanLedger-*-setup.exe
