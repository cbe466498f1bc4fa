; Inno Setup 6 script: a per-user installer for the folder build.
;
; Build the folder first (uv run --group package pyinstaller --noconfirm
; packaging/kushiro-editor.spec), then on Windows:
;     "%ProgramFiles(x86)%\Inno Setup 6\ISCC.exe" packaging\kushiro-editor.iss
; which writes dist\KushiroEditor-<version>-setup.exe.
;
; The installer asks for no administrator rights: it installs into the user's
; own %LOCALAPPDATA%\Programs\KushiroEditor, adds a Start menu shortcut for
; that user only, and registers no file associations. The reports the editor
; keeps (%LOCALAPPDATA%\Kushiro\KushiroProgressEditor) are not part of the
; installation, so uninstalling or updating never removes them; only the
; analyser's dictionary the editor unpacked there (its analyser folder, 115 MB)
; goes with the program.
; This file is UTF-8 with a byte order mark, which Inno Setup 6 needs for the
; Japanese names below.

; The version comes from the built KushiroEditor.exe (its version resource is
; written by the spec from kushiro_editor.__version__); /DAppVersion=… overrides.
#define BuiltExe AddBackslash(SourcePath) + "..\dist\KushiroEditor\KushiroEditor.exe"
#ifndef AppVersion
  #define AppVersion GetVersionNumbersString(BuiltExe)
#endif
#define AppName "釧路市 進捗報告エディタ"

[Setup]
; Keep this id for every version: Windows recognises updates of the same program by it.
AppId={{13FE20F6-444E-4DE4-8783-18A11B48A69A}
AppName={#AppName}
AppVersion={#AppVersion}
AppVerName={#AppName} {#AppVersion}
AppPublisher=釧路市
VersionInfoVersion={#AppVersion}
PrivilegesRequired=lowest
DefaultDirName={localappdata}\Programs\KushiroEditor
; A per-user folder chosen on purpose: no warning about it.
UsedUserAreasWarning=no
DisableProgramGroupPage=yes
DisableDirPage=auto
ChangesAssociations=no
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
OutputDir=..\dist
OutputBaseFilename=KushiroEditor-{#AppVersion}-setup
SetupIconFile=icons\kushiro-editor.ico
UninstallDisplayIcon={app}\KushiroEditor.exe
UninstallDisplayName={#AppName}
Compression=lzma2
SolidCompression=yes
WizardStyle=modern
; The editor keeps its store open: ask the user to close it before files are replaced.
CloseApplications=yes

[Languages]
Name: "japanese"; MessagesFile: "compiler:Languages\Japanese.isl"

[Tasks]
Name: "desktopicon"; Description: "デスクトップにショートカットを作る"; Flags: unchecked

[Files]
; The whole folder as PyInstaller built it; files of an older version that this
; one no longer has are removed first, so that the two never mix.
Source: "..\dist\KushiroEditor\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[InstallDelete]
Type: filesandordirs; Name: "{app}\_internal"

[UninstallDelete]
; A copy the editor makes on first use from the packed one in _internal, not the user's data.
Type: filesandordirs; Name: "{localappdata}\Kushiro\KushiroProgressEditor\analyser"

[Icons]
Name: "{userprograms}\{#AppName}"; Filename: "{app}\KushiroEditor.exe"; WorkingDir: "{app}"
Name: "{userdesktop}\{#AppName}"; Filename: "{app}\KushiroEditor.exe"; WorkingDir: "{app}"; Tasks: desktopicon

[Run]
Filename: "{app}\KushiroEditor.exe"; Description: "{#AppName}を起動する"; Flags: nowait postinstall skipifsilent
