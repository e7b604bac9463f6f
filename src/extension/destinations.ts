import * as vscode from 'vscode';
import type { Destination } from '../core/engine/types';
import { settings } from './connection';

/**
 * Which workspace folder results are saved in. One folder: that one. Several: the folder of
 * the file being worked on, else the user's pick, remembered for the session. None: offer to
 * open a folder (and return undefined).
 */
export class Destinations {
  private remembered: string | undefined;

  async pick(hint?: vscode.Uri): Promise<Destination | undefined> {
    const folder = await this.pickFolder(hint);
    if (!folder) return undefined;
    const s = settings(folder.uri);
    return { root: folder.uri.fsPath, assetsFolder: s.assetsFolder, pattern: s.fileNamePattern };
  }

  async pickFolder(hint?: vscode.Uri): Promise<vscode.WorkspaceFolder | undefined> {
    const folders = (vscode.workspace.workspaceFolders ?? []).filter((f) => f.uri.scheme === 'file');
    if (folders.length === 0) {
      const open = 'Open Folder…';
      // Not awaited, so the request ends now; the button opens a folder whenever it is clicked.
      void vscode.window.showInformationMessage('Kie Studio saves results in a workspace folder. Open a folder first.', open).then((choice) => {
        if (choice === open) void vscode.commands.executeCommand('vscode.openFolder');
      });
      return undefined;
    }
    if (folders.length === 1) return folders[0];
    if (hint) {
      const owner = vscode.workspace.getWorkspaceFolder(hint);
      if (owner && owner.uri.scheme === 'file') return owner;
    }
    const known = folders.find((f) => f.uri.toString() === this.remembered);
    if (known) return known;
    const picked = await vscode.window.showWorkspaceFolderPick({ placeHolder: 'Save Kie Studio results in which folder?', ignoreFocusOut: true });
    if (picked) this.remembered = picked.uri.toString();
    return picked;
  }

  /** Forgets the remembered folder (e.g. when folders change). */
  forget(): void {
    this.remembered = undefined;
  }
}
