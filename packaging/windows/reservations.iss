; Inno Setup script: a Windows installer of the one-folder bundle (docs/packaging.md).
; Build the bundle first (packaging\windows\build.ps1 does both), then:
;   iscc /DAppVersion=0.1.0 packaging\windows\reservations.iss
; Output: dist\reservations-desktop-<version>-setup.exe. Installs per user by default (no admin
; rights needed); the user's data stays in %LOCALAPPDATA%\reservations-desktop on uninstall.

#ifndef AppVersion
  #define AppVersion "0.1.0"
#endif

[Setup]
AppId={{6E1F4C2A-7B1D-4C55-9B8E-2A4F0D1C9E37}
AppName=Reservations
AppVersion={#AppVersion}
AppPublisher=Reservations
DefaultDirName={autopf}\Reservations
DefaultGroupName=Reservations
DisableProgramGroupPage=yes
PrivilegesRequired=lowest
PrivilegesRequiredOverridesAllowed=dialog
OutputDir=..\..\dist
OutputBaseFilename=reservations-desktop-{#AppVersion}-setup
SetupIconFile=..\..\build\pyinstaller\app.ico
UninstallDisplayIcon={app}\reservations-desktop.exe
Compression=lzma2/max
SolidCompression=yes
WizardStyle=modern
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible

[Languages]
Name: "english"; MessagesFile: "compiler:Default.isl"
Name: "german"; MessagesFile: "compiler:Languages\German.isl"

[Tasks]
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"; Flags: unchecked

[Files]
Source: "..\..\dist\reservations-desktop\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[Icons]
Name: "{group}\Reservations"; Filename: "{app}\reservations-desktop.exe"; AppUserModelID: "org.reservations.Desktop"
Name: "{autodesktop}\Reservations"; Filename: "{app}\reservations-desktop.exe"; Tasks: desktopicon

[Run]
Filename: "{app}\reservations-desktop.exe"; Description: "{cm:LaunchProgram,Reservations}"; Flags: nowait postinstall skipifsilent
