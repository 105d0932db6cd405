/**
 * Dockerfile and docker-compose.yml cannot be run here (no Docker engine), so what they must agree
 * on with the code and the README is checked as text: the compose file parses (YAML and its
 * ${VAR} interpolations), every setting of README's configuration table reaches the containers
 * with its documented default, the runtime image holds every folder the app reads at run time and
 * no benchmark or test code, and the Node version is the same everywhere it is named.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { CORE_SCHEMA, load, mergeTag } from 'js-yaml';
import { SWITCHYARD_NODE_FLAGS } from '../bench/bench-lib.js';
import { ENV_SCHEMA } from '../src/config.js';
import { CHECKOUT_ASSETS_DIR, OPENAPI_PATH, packageRoot } from '../src/paths.js';

const root = packageRoot();
const read = (file: string) => readFileSync(path.join(root, file), 'utf8');

interface ComposeService {
  build?: unknown;
  image?: string;
  environment?: Record<string, string>;
}

/** docker-compose.yml as compose reads it: YAML with merge keys (`<<: *anchor`). */
function loadCompose(): { services: Record<string, ComposeService> } & Record<string, unknown> {
  return load(read('docker-compose.yml'), { schema: CORE_SCHEMA.withTags(mergeTag) }) as { services: Record<string, ComposeService> };
}

/** The containers built from this repository (migrate, api, worker). */
const appServices = () => Object.entries(loadCompose().services).filter(([, s]) => s.build !== undefined);

/** README's configuration table: variable → documented default (`''` for "—", undefined when it is prose like "insecure dev key"). */
function readmeSettings(): Map<string, string | undefined> {
  const readme = read('README.md');
  const section = readme.slice(readme.indexOf('## Configuration'), readme.indexOf('\n## ', readme.indexOf('## Configuration') + 1));
  const rows = [...section.matchAll(/^\| `([A-Z][A-Z0-9_]*)` \| ([^|]*) \|/gm)];
  return new Map(rows.map(([, name, cell]) => [name!, cell!.trim() === '—' ? '' : /^`([^`]*)`$/.exec(cell!.trim())?.[1]]));
}

/** Set by docker-compose.yml itself (its own services, published port, production mode), not passed through. */
const WIRED_BY_COMPOSE = ['DATABASE_URL', 'REDIS_URL', 'PORT', 'NODE_ENV'];
const INTERPOLATION = /^\$\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-?+])(.*))?\}$/s;

describe('docker-compose.yml', () => {
  it('parses, and every ${…} interpolation is well formed', () => {
    const compose = loadCompose();
    expect(Object.keys(compose.services)).toEqual(expect.arrayContaining(['postgres', 'redis', 'migrate', 'api', 'worker']));
    const text = read('docker-compose.yml').replace(/^\s*#.*$/gm, '');
    const opened = text.split('${').length - 1;
    const interpolations = [...text.matchAll(/\$\{[^}]*\}/g)].map((m) => m[0]);
    expect(interpolations).toHaveLength(opened);
    for (const i of interpolations) expect(i, 'compose interpolation').toMatch(INTERPOLATION);
    expect(text.replace(/\$\{[^}]*\}/g, '').replace(/\$\$/g, ''), 'a bare $ (write $$ for a literal one)').not.toContain('$');
  });

  it('sets only variables the configuration knows', () => {
    const known = Object.keys(ENV_SCHEMA.shape);
    for (const [service, { environment }] of appServices()) {
      for (const name of Object.keys(environment ?? {})) expect(known, `${name} in ${service}`).toContain(name);
    }
  });

  it('README documents every setting the configuration knows', () => {
    expect([...readmeSettings().keys()].sort()).toEqual(Object.keys(ENV_SCHEMA.shape).sort());
  });

  it('passes every setting of README\'s configuration table to each container, with the documented default', () => {
    const services = appServices();
    expect(services.map(([name]) => name).sort()).toEqual(['api', 'migrate', 'worker']);
    const port = services[0]![1].environment?.PORT;
    for (const [name, documented] of readmeSettings()) {
      for (const [service, { environment }] of services) {
        const value = environment?.[name];
        expect(value, `${name} does not reach the ${service} container`).toBeDefined();
        if (WIRED_BY_COMPOSE.includes(name)) continue;
        const m = INTERPOLATION.exec(String(value));
        expect(m?.[1], `${service}: ${name} must pass through as \${${name}…}`).toBe(name);
        if (m![2] === ':?') continue; // required: compose refuses to start without it
        expect(m![2], `${name} takes its default with :-`).toBe(':-');
        if (documented !== undefined) expect(m![3], `${name}'s default`).toBe(documented.replace('$PORT', String(port)));
      }
    }
  });

  it('the Dockerfile says how to run the image compose builds', () => {
    const images = new Set(appServices().map(([, s]) => s.image));
    expect(images.size).toBe(1);
    const [image] = images;
    const usage = read('Dockerfile').split('\nFROM ')[0]!;
    expect(usage).toContain(`docker build -t ${image} .`);
    expect(usage).toMatch(new RegExp(`docker run [^\\n]*(\\n#[^\\n]*)*${image!.replace('.', '\\.')} api`));
  });
});

describe('the image', () => {
  it('the runtime image copies every folder the app reads at run time (the spec, the checkout assets)', () => {
    const dockerfile = read('Dockerfile');
    const runtime = dockerfile.slice(dockerfile.lastIndexOf('AS runtime'));
    const copied = [...runtime.matchAll(/^COPY (?:--from=\S+ )?(\S+) (\S+)$/gm)].map((m) => path.normalize(m[2]!.replace(/^\.\//, '')));
    for (const dir of [OPENAPI_PATH, CHECKOUT_ASSETS_DIR]) {
      const top = path.relative(root, dir).split(path.sep)[0]!;
      expect(copied, `Dockerfile runtime stage must COPY ${top}`).toContain(top);
    }
  });

  it('ships no benchmark, test-emulator, client or example code: the build compiles src/ and migrations/ only, and they import nothing else', () => {
    expect((JSON.parse(read('tsconfig.build.json')) as { include: string[] }).include.sort()).toEqual(['migrations', 'src']);
    const files = ['src', 'migrations'].flatMap((dir) =>
      (readdirSync(path.join(root, dir), { recursive: true }) as string[]).filter((f) => f.endsWith('.ts')).map((f) => path.join(root, dir, f)),
    );
    for (const file of files) {
      for (const [, spec] of readFileSync(file, 'utf8').matchAll(/(?:from|import)\s*\(?\s*'(\.{1,2}\/[^']+)'/g)) {
        const target = path.relative(root, path.resolve(path.dirname(file), spec!));
        expect(target.split(path.sep)[0], `${path.relative(root, file)} imports ${spec}`).toMatch(/^(src|migrations)$/);
      }
    }
    const ignored = read('.dockerignore').split('\n').map((l) => l.trim());
    for (const dir of ['test', 'bench', 'scripts', 'sdk', 'examples']) expect(ignored, `.dockerignore must leave out ${dir}/`).toContain(dir);
  });

  it('the benchmarks and the emulators build with their own config, so their commands keep working', () => {
    const { scripts } = JSON.parse(read('package.json')) as { scripts: Record<string, string> };
    expect(scripts['build:tools']).toMatch(/tsc -p tsconfig.tools.json$/);
    for (const name of ['bench', 'bench:webhooks', 'emulators']) expect(scripts[name]).toMatch(/^npm run -s build:tools && node dist\//);
    expect((JSON.parse(read('tsconfig.tools.json')) as { include: string[] }).include).toEqual(expect.arrayContaining(['src', 'migrations', 'bench', 'scripts']));
  });

  it('runs Switchyard with the same V8 flags in the image, npm start and the benchmarks', () => {
    const flags = SWITCHYARD_NODE_FLAGS.join(' ');
    expect(read('Dockerfile')).toContain(`ENTRYPOINT ["node", ${SWITCHYARD_NODE_FLAGS.map((f) => JSON.stringify(f)).join(', ')}, "dist/src/main.js"]`);
    const { scripts } = JSON.parse(read('package.json')) as { scripts: Record<string, string> };
    expect(scripts.start).toContain(`node ${flags} dist/src/main.js`);
  });

  it('names one Node line: package.json engines, the Dockerfile, the README, and the Node running this', () => {
    const { engines } = JSON.parse(read('package.json')) as { engines: { node: string } };
    const [, major, minor] = /^>=(\d+)\.(\d+)$/.exec(engines.node) ?? [];
    expect(major, 'engines.node is ">=MAJOR.MINOR"').toBeDefined();
    expect(/^ARG NODE_VERSION=(\d+)$/m.exec(read('Dockerfile'))?.[1]).toBe(major);
    expect(read('README.md')).toContain(`Needs Node ${major}.${minor}+`);
    const [runMajor, runMinor] = process.versions.node.split('.').map(Number) as [number, number];
    expect(runMajor > Number(major) || (runMajor === Number(major) && runMinor >= Number(minor)), `Node ${process.versions.node} is older than ${engines.node}`).toBe(true);
  });
});
