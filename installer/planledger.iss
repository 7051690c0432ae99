; 规划指标台账 Plan Ledger — Windows installer script (Inno Setup 6.3 or later, Unicode).
;
; Build on Windows after the bundle (see docs/installer.md, or run installer\build.ps1):
;     ISCC.exe installer\planledger.iss      →  dist\PlanLedger-<version>-setup.exe
; Inputs: dist\PlanLedger\ (PyInstaller, installer\planledger.spec), resources\icons\planledger.ico,
; and installer\ChineseSimplified.isl — Inno Setup's *unofficial* Simplified Chinese translation,
; not shipped with Inno Setup: copy it from the Inno Setup translations page
; (https://jrsoftware.org/files/istrans/, file "ChineseSimplified.isl", kept in the
; jrsoftware/issrc repository under Files/Languages/Unofficial/) into installer\ first.
; This file is UTF-8 with a BOM (ISCC needs the BOM to read the Chinese strings).
;
; Design (docs/installer.md):
; - per user, no administrator rights: {autopf} is %LOCALAPPDATA%\Programs when not elevated
;   ("setup.exe /ALLUSERS" from an administrator installs for all users in Program Files);
; - workspaces and settings never live in {app}: workspaces are wherever the user saves them
;   (the demo in %LOCALAPPDATA%\PlanLedger\), settings in HKCU\Software\PlanLedger and
;   %LOCALAPPDATA%\PlanLedger\settings.json — uninstall removes only what Setup installed, so
;   both survive an uninstall and an upgrade;
; - upgrade = install the new setup over the old: the fixed AppId finds the old install and its
;   folder; the old bundle's _internal\ is removed first so no stale library is left behind;
; - a running app: the window holds the named mutex "PlanLedger.Running" (desktop/ui/app.py);
;   Setup and Uninstall ask the user to close it first (AppMutex), and the Restart Manager
;   (CloseApplications) offers to close anything else using files in {app} (e.g. planledger.exe).

#define AppName      "规划指标台账"
#define AppNameEn    "Plan Ledger"
#define GuiExe       "planledger-gui.exe"
#define CliExe       "planledger.exe"
#define Bundle       AddBackslash(SourcePath) + "..\dist\PlanLedger"
#if !FileExists(Bundle + "\" + GuiExe)
  #error 没有找到 dist\PlanLedger\planledger-gui.exe：先用 PyInstaller 生成程序包（docs/installer.md）
#endif
#ifndef AppVersion
  ; the version written in desktop/__init__.py, read back from the executable's version resource
  #define AppVersion GetStringFileInfo(Bundle + "\" + GuiExe, "ProductVersion")
#endif
#define NumericVersion GetVersionNumbersString(Bundle + "\" + GuiExe)
#define ChineseIsl   AddBackslash(SourcePath) + "ChineseSimplified.isl"
#if !FileExists(ChineseIsl)
  #error 缺少 installer\ChineseSimplified.isl（Inno Setup 非官方简体中文语言文件，见 docs/installer.md）
#endif

[Setup]
; Never change AppId: it is how an upgrade finds the installed version (and Windows' app list).
AppId={{4D08DD5A-0BE8-448D-AB4F-522D124DF148}
AppName={#AppName}
AppVersion={#AppVersion}
AppVerName={#AppName} {#AppVersion}
AppPublisher={#AppNameEn}
VersionInfoVersion={#NumericVersion}
VersionInfoProductName={#AppName} {#AppNameEn}
VersionInfoDescription={#AppName} 安装程序
DefaultDirName={autopf}\PlanLedger
DefaultGroupName={#AppName}
DisableProgramGroupPage=yes
UsePreviousAppDir=yes
PrivilegesRequired=lowest
PrivilegesRequiredOverridesAllowed=commandline
; Qt 6 runs on 64-bit Windows 10 and 11 only
MinVersion=10.0
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
AppMutex=PlanLedger.Running
CloseApplications=yes
RestartApplications=no
SetupIconFile=..\resources\icons\planledger.ico
UninstallDisplayIcon={app}\{#GuiExe}
UninstallDisplayName={#AppName} {#AppVersion}
WizardStyle=modern
ShowLanguageDialog=no
LanguageDetectionMethod=uilanguage
Compression=lzma2/ultra64
SolidCompression=yes
OutputDir=..\dist
OutputBaseFilename=PlanLedger-{#AppVersion}-setup

[Languages]
; Chinese first: it is also the language when Windows' own language matches none of these.
Name: "zh_CN"; MessagesFile: "ChineseSimplified.isl"
Name: "en"; MessagesFile: "compiler:Default.isl"

[CustomMessages]
zh_CN.CommandLine=规划指标台账 命令行
zh_CN.CommandLineComment=打开命令提示符，可直接使用 planledger 命令
en.CommandLine=Plan Ledger command line
en.CommandLineComment=A command prompt where the planledger command works

[Tasks]
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"

[InstallDelete]
; an upgrade replaces the whole bundle: files of the old version must not linger
Type: filesandordirs; Name: "{app}\_internal"

[Files]
Source: "{#Bundle}\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[Icons]
Name: "{group}\{#AppName}"; Filename: "{app}\{#GuiExe}"; WorkingDir: "{userdocs}"
Name: "{group}\{cm:CommandLine}"; Filename: "{cmd}"; \
  Parameters: "/k ""set ""PATH={app};%PATH%"" && planledger --help"""; \
  WorkingDir: "{userdocs}"; IconFilename: "{app}\{#CliExe}"; Comment: "{cm:CommandLineComment}"
Name: "{autodesktop}\{#AppName}"; Filename: "{app}\{#GuiExe}"; WorkingDir: "{userdocs}"; Tasks: desktopicon

[Run]
Filename: "{app}\{#GuiExe}"; Description: "{cm:LaunchProgram,{#AppName}}"; \
  Flags: nowait postinstall skipifsilent

; No [UninstallDelete]: workspaces (*.sqlite), the demo workspace and the settings are the
; user's and stay after an uninstall (docs/installer.md says how to remove them by hand).
