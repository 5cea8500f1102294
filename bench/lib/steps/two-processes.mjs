// Two API processes behind nginx (round-robin, keep-alive to the upstreams) against one process,
// directly and behind the same nginx.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { freePort, startProcess } from '../processes.mjs';
import { startServer } from '../servers.mjs';
import { WORK_DIR } from '../settings.mjs';
import { summarizeRuns } from '../stats.mjs';
import { spreadUsers } from '../workloads.mjs';
import { measure } from './common.mjs';

function nginxConfig(prefix, { onePort, twoPort, first, second }) {
  return `worker_processes 1;
pid ${prefix}/nginx.pid;
error_log ${prefix}/error.log warn;
events { worker_connections 2048; }
http {
  access_log off;
  client_body_temp_path ${prefix}/tmp/body;
  proxy_temp_path ${prefix}/tmp/proxy;
  fastcgi_temp_path ${prefix}/tmp/fastcgi;
  uwsgi_temp_path ${prefix}/tmp/uwsgi;
  scgi_temp_path ${prefix}/tmp/scgi;
  upstream one { server 127.0.0.1:${first}; keepalive 64; }
  upstream two { server 127.0.0.1:${first}; server 127.0.0.1:${second}; keepalive 64; }
  server {
    listen 127.0.0.1:${onePort};
    location / { proxy_pass http://one; proxy_http_version 1.1; proxy_set_header Connection ""; proxy_buffers 16 16k; }
  }
  server {
    listen 127.0.0.1:${twoPort};
    location / { proxy_pass http://two; proxy_http_version 1.1; proxy_set_header Connection ""; proxy_buffers 16 16k; }
  }
}
`;
}

function findNginx() {
  for (const candidate of ['/usr/sbin/nginx', '/usr/bin/nginx']) if (fs.existsSync(candidate)) return candidate;
  return undefined;
}

export async function measureTwoProcesses({ profile, database, failures, log }) {
  const nginx = findNginx();
  if (!nginx) return { skipped: 'nginx is not installed (apt-get install -y nginx)' };
  const prefix = path.join(WORK_DIR, 'nginx');
  fs.rmSync(prefix, { recursive: true, force: true });
  fs.mkdirSync(path.join(prefix, 'tmp'), { recursive: true, mode: 0o777 });
  fs.chmodSync(path.join(prefix, 'tmp'), 0o777);

  const first = await startServer('app', { database, name: 'app-process1' });
  const second = await startServer('app', { database, name: 'app-process2' });
  const onePort = await freePort();
  const twoPort = await freePort();
  const configFile = path.join(prefix, 'nginx.conf');
  fs.writeFileSync(configFile, nginxConfig(prefix, { onePort, twoPort, first: first.port, second: second.port }));
  execFileSync(nginx, ['-t', '-q', '-p', prefix, '-c', configFile], { stdio: 'inherit' });
  const proxy = startProcess('nginx', nginx, ['-p', prefix, '-c', configFile, '-g', 'daemon off;']);
  await new Promise((resolve) => setTimeout(resolve, 500));

  const setups = {
    'one process, direct': { ...first, name: 'direct1' },
    'one process behind nginx': { ...first, name: 'nginx1', url: `http://127.0.0.1:${onePort}/graphql` },
    'two processes behind nginx': { ...first, name: 'nginx2', url: `http://127.0.0.1:${twoPort}/graphql` },
  };
  const userNumbers = spreadUsers(profile.users, profile.tokenUsers);
  const runs = Object.fromEntries(Object.keys(setups).map((name) => [name, []]));
  try {
    const base = { database, dialect: 'app', workload: 'tasks', userNumbers, connections: 50, failures };
    await measure(setups['two processes behind nginx'], { ...base, seconds: profile.warmupSeconds, extraPids: [second.pid], label: 'two processes warm-up' });
    const names = Object.keys(setups);
    for (let round = 0; round < profile.rounds; round++) {
      for (let i = 0; i < names.length; i++) {
        const name = names[(i + round) % names.length];
        const result = await measure(setups[name], { ...base, seconds: profile.extraSeconds, extraPids: [second.pid], label: name });
        runs[name].push(result);
        log(`${name}: ${result.rps.toFixed(0)} req/s, p99 ${result.p99.toFixed(1)} ms`);
      }
    }
  } finally {
    await proxy.stop();
    await first.stop();
    await second.stop();
  }
  return { summary: Object.fromEntries(Object.entries(runs).map(([name, list]) => [name, summarizeRuns(list)])) };
}
