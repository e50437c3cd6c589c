import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';

// The first run explains itself: the walkthrough, the views' welcome text and the palette's `when` clauses are data in
// package.json that nothing type-checks. A step naming a command that does not exist, or a media file the .vsix does
// not ship, would show a dead link or an empty pane.

const ROOT = path.resolve(__dirname, '../../../..');
const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
const c = pkg.contributes;
const commands = new Set<string>(c.commands.map((x: { command: string }) => x.command));
const views = new Set<string>(
  Object.values(c.views as Record<string, { id: string }[]>)
    .flat()
    .map((v) => v.id),
);
/** `command:` links in Markdown text: their command ids. */
const links = (text: string) => [...text.matchAll(/\(command:([\w.]+)/g)].map((m) => m[1]);
const ours = (id: string) => id.startsWith('kvlens.') && !views.has(id.replace(/\.focus$/, ''));

describe('package.json: the walkthrough, welcome views and command `when` clauses', () => {
  it('the getting-started walkthrough: open a prompt → status bar → a break → Record as Sent → Estimate Cost → Show Attention', () => {
    const w = c.walkthroughs.find((x: { id: string }) => x.id === 'kvlens.gettingStarted');
    assert.ok(w, 'walkthrough kvlens.gettingStarted');
    assert.deepEqual(
      w.steps.map((s: { id: string }) => s.id),
      ['open', 'statusbar', 'break', 'record', 'cost', 'attention'],
    );
    for (const s of w.steps) {
      const md = path.join(ROOT, s.media.markdown);
      assert.ok(fs.statSync(md).size > 100, `${s.id}: ${s.media.markdown}`);
      assert.ok(!/screenshots/.test(s.media.markdown), 'shipped in the .vsix (screenshots are not)');
      for (const id of links(s.description).filter(ours)) assert.ok(commands.has(id), `${s.id} links to ${id}`);
      for (const e of s.completionEvents as string[]) {
        const [kind, id] = e.split(':');
        if (kind === 'onCommand') assert.ok(commands.has(id), `${s.id} completes on ${id}`);
        if (kind === 'onView') assert.ok(views.has(id), `${s.id} completes on view ${id}`);
      }
    }
  });

  it('every view has a welcome text, whose links are commands that exist', () => {
    for (const v of views) {
      const w = c.viewsWelcome.find((x: { view: string }) => x.view === v);
      assert.ok(w, `welcome text for ${v}`);
      for (const id of links(w.contents).filter(ours)) assert.ok(commands.has(id), `${v} links to ${id}`);
    }
    const welcome = c.viewsWelcome.find((x: { view: string }) => x.view === 'kvlens.promptCache').contents as string;
    assert.match(
      welcome,
      /workbench\.action\.openWalkthrough\?%5B%22kvlens\.kvlens%23kvlens\.gettingStarted%22/,
      'opens our walkthrough (publisher.name#id)',
    );
    assert.equal(`${pkg.publisher}.${pkg.name}`, 'kvlens.kvlens');
  });

  it('commands that act on a prompt appear in the palette only where they apply', () => {
    const when = new Map<string, string>(
      c.menus.commandPalette.map((m: { command: string; when: string }) => [m.command, m.when]),
    );
    for (const id of [
      'kvlens.recordAsSent',
      'kvlens.chooseBaseline',
      'kvlens.selectModel',
      'kvlens.estimateCost',
      'kvlens.showAttention',
    ])
      assert.equal(when.get(id), 'kvlens.isPrompt', id);
    assert.equal(when.get('kvlens.inspectFile'), 'editorIsOpen && !kvlens.isPrompt');
    for (const id of when.keys()) assert.ok(commands.has(id), `a palette entry for ${id}, which exists`);
  });
});

describe(".vscode/launch.json: F5 never opens or tests in this repository's own folders", () => {
  it('"Run Extension" and "Extension Tests" open fresh copies under .vscode-test/launch/, prepared by their task', () => {
    const text = fs.readFileSync(path.join(ROOT, '.vscode/launch.json'), 'utf8').replace(/^\s*\/\/.*$/gm, '');
    const launch = JSON.parse(text) as { configurations: { name: string; args: string[]; preLaunchTask: string }[] };
    const tasks = JSON.parse(fs.readFileSync(path.join(ROOT, '.vscode/tasks.json'), 'utf8')) as {
      tasks: { label: string; dependsOn?: string[]; command?: string }[];
    };
    for (const c of launch.configurations) {
      const folders = c.args.filter((a) => !a.startsWith('--'));
      assert.equal(folders.length, 1, c.name);
      assert.match(folders[0], /^\$\{workspaceFolder\}\/\.vscode-test\/launch\//, `${c.name} opens ${folders[0]}`);
      const task = tasks.tasks.find((t) => t.label === c.preLaunchTask);
      assert.ok(task?.dependsOn?.includes('prepare launch workspaces'), `${c.name}: its task makes the folder first`);
    }
    assert.match(
      tasks.tasks.find((t) => t.label === 'prepare launch workspaces')!.command!,
      /scripts\/launch-workspaces\.mjs/,
    );
  });
});
