; Inno Setup 6 script: installs the one-folder app for the current user only, without administrator
; rights, and without network access (the installer carries everything).
; Saved as UTF-8 with a BOM: without one, ISCC reads the file in the ANSI code page (GBK) and garbles the Chinese.
;
; On a Windows PC, after `python packaging\build.py` has produced dist\xxgk-report\:
;   "C:\Program Files (x86)\Inno Setup 6\ISCC.exe" /DAppVersion=0.1.0 packaging\windows\xxgk-report.iss
; → dist\xxgk-report-0.1.0-setup.exe   (build.py prints this exact command with the version filled in)
;
; File types: no extension is taken over. The program is registered under "Applications" with
; SupportedTypes .json, so it appears in 打开方式 (Open with) for .json files and the clerk chooses
; it there; whatever opens .json files today keeps doing so.

#ifndef AppVersion
  #define AppVersion "0.0.0"
#endif
#define AppName "政府信息公开年报填报助手"
#define AppExe "xxgk-report.exe"
#define Dist "..\..\dist\xxgk-report"

[Setup]
AppId={{6B0E5C1E-3A57-4C8B-9E3B-2F4A7D2C9E11}
AppName={#AppName}
AppVersion={#AppVersion}
AppVerName={#AppName} {#AppVersion}
AppPublisher=xxgk-report
; Per-user install: %LOCALAPPDATA%\Programs\xxgk-report, no UAC prompt.
PrivilegesRequired=lowest
PrivilegesRequiredOverridesAllowed=dialog
DefaultDirName={autopf}\xxgk-report
DefaultGroupName={#AppName}
DisableProgramGroupPage=yes
UninstallDisplayIcon={app}\{#AppExe}
OutputDir=..\..\dist
OutputBaseFilename=xxgk-report-{#AppVersion}-setup
SetupIconFile=..\..\resources\icons\app.ico
Compression=lzma2/max
SolidCompression=yes
WizardStyle=modern
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
; The drafts live in the user's data folder, not in {app}: uninstalling never deletes them.

[Languages]
; ChineseSimplified.isl ships with Inno Setup 6.3 and later (earlier: copy it into Languages\).
Name: "chs"; MessagesFile: "compiler:Languages\ChineseSimplified.isl"

[Tasks]
Name: "desktopicon"; Description: "在桌面上创建快捷方式"; GroupDescription: "快捷方式："

[Files]
Source: "{#Dist}\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs; Excludes: "便携模式启动.bat"

[Icons]
Name: "{autoprograms}\{#AppName}"; Filename: "{app}\{#AppExe}"
Name: "{autodesktop}\{#AppName}"; Filename: "{app}\{#AppExe}"; Tasks: desktopicon

[Registry]
; 打开方式 only: no ProgID, no default handler for .json.
Root: HKA; Subkey: "Software\Classes\Applications\{#AppExe}"; ValueType: string; ValueName: "FriendlyAppName"; ValueData: "{#AppName}"; Flags: uninsdeletekey
Root: HKA; Subkey: "Software\Classes\Applications\{#AppExe}\SupportedTypes"; ValueType: string; ValueName: ".json"; ValueData: ""
Root: HKA; Subkey: "Software\Classes\Applications\{#AppExe}\DefaultIcon"; ValueType: string; ValueData: "{app}\{#AppExe},0"
Root: HKA; Subkey: "Software\Classes\Applications\{#AppExe}\shell\open\command"; ValueType: string; ValueData: """{app}\{#AppExe}"" ""%1"""
Root: HKA; Subkey: "Software\Classes\.json\OpenWithList\{#AppExe}"; ValueType: none; Flags: uninsdeletekey

[Run]
Filename: "{app}\{#AppExe}"; Description: "启动{#AppName}"; Flags: nowait postinstall skipifsilent
