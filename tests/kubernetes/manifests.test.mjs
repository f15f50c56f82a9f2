// Offline validation of packaging/kubernetes/*.yaml (the DaemonSet deployment, issue #19):
//  1. against the Kubernetes OpenAPI schemas, as compiled by the npm package
//     kubernetes-models (pinned by package-lock.json): types, formats, required fields;
//  2. strictly: a field the schema does not know (a typo such as `hostPid`) is an error.
//     The compiled validators read exactly the properties their schema declares, so every
//     property of an object the validator inspected and never read is unknown; objects it
//     enumerates (maps such as labels) are not judged that way;
//  3. what the schema cannot say: the pod's privileges are exactly those
//     packaging/kubernetes/daemonset.yaml documents, and the same capability set as
//     schedcp-http.service; the probe, the ConfigMap, the Secret and the mounts fit together.
// Run: npm ci && node --test (ctest: kubernetes_manifests).
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync, readdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseAllDocuments, parse as parseYaml } from "yaml";

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, "..", "..");
const manifestDir = join(root, "packaging", "kubernetes");

// apiVersion/kind -> the kubernetes-models schema validating it.
const schemas = {
  "v1/Namespace": "IoK8sApiCoreV1Namespace",
  "v1/ConfigMap": "IoK8sApiCoreV1ConfigMap",
  "v1/Secret": "IoK8sApiCoreV1Secret",
  "apps/v1/DaemonSet": "IoK8sApiAppsV1DaemonSet",
};

async function validatorFor(object) {
  const key = `${object.apiVersion}/${object.kind}`;
  const name = schemas[key];
  if (!name) throw new Error(`no schema known for ${key}`);
  const module = await import(`kubernetes-models/_schemas/${name}`);
  return module.validate;
}

// Wraps `data` so that reading a property, or enumerating keys, is recorded per object.
function recording(data) {
  const seen = new Map(); // object -> {read: Set, enumerated: bool}
  const proxies = new WeakMap();
  const wrap = (value) => {
    if (value === null || typeof value !== "object") return value;
    if (proxies.has(value)) return proxies.get(value);
    const record = { read: new Set(), enumerated: false };
    seen.set(value, record);
    const proxy = new Proxy(value, {
      get(target, prop, receiver) {
        if (typeof prop === "string") record.read.add(prop);
        return wrap(Reflect.get(target, prop, receiver));
      },
      has(target, prop) {
        if (typeof prop === "string") record.read.add(prop);
        return Reflect.has(target, prop);
      },
      ownKeys(target) {
        record.enumerated = true;
        return Reflect.ownKeys(target);
      },
    });
    proxies.set(value, proxy);
    return proxy;
  };
  return { proxy: wrap(data), seen };
}

// Properties of inspected objects that the schema never read, as JSON paths.
function unknownFields(data, seen, path = "") {
  if (data === null || typeof data !== "object") return [];
  const record = seen.get(data);
  const out = [];
  for (const [key, value] of Object.entries(data)) {
    const child = Array.isArray(data) ? `${path}[${key}]` : `${path}.${key}`;
    if (record && !Array.isArray(data) && !record.enumerated && !record.read.has(key)) {
      out.push(child);
      continue;
    }
    out.push(...unknownFields(value, seen, child));
  }
  return out;
}

// Schema + strict check: a list of problems ("" path = the object itself).
async function problems(object) {
  const validate = await validatorFor(object);
  const { proxy, seen } = recording(object);
  const errors = validate(proxy) ? [] : validate.errors.map((e) => `${e.instancePath || "/"} ${e.keyword} ${JSON.stringify(e.params)}`);
  return [...errors, ...unknownFields(object, seen).map((p) => `${p}: unknown field`)];
}

function loadManifests() {
  const objects = [];
  const files = readdirSync(manifestDir).filter((f) => f.endsWith(".yaml"));
  for (const file of files) {
    const text = readFileSync(join(manifestDir, file), "utf8");
    for (const doc of parseAllDocuments(text, { uniqueKeys: true, prettyErrors: true })) {
      if (doc.errors.length) throw new Error(`${file}: ${doc.errors.map((e) => e.message).join("; ")}`);
      const object = doc.toJS();
      if (object !== null) objects.push({ file, object });
    }
  }
  return objects;
}

const manifests = loadManifests();
const api = manifests.filter((m) => m.object.kind !== "Kustomization");
const find = (kind) => {
  const found = api.filter((m) => m.object.kind === kind);
  assert.equal(found.length, 1, `exactly one ${kind}`);
  return found[0].object;
};

test("every manifest is valid against the Kubernetes schema, with no unknown field", async () => {
  assert.ok(api.length >= 4);
  for (const { file, object } of api) {
    assert.deepEqual(await problems(object), [], `${file}: ${object.kind}`);
  }
});

test("the checks catch a misspelt field, a wrong type and a missing required field", async () => {
  const daemonset = structuredClone(find("DaemonSet"));
  daemonset.spec.template.spec.hostPid = true;
  assert.deepEqual(await problems(daemonset), [".spec.template.spec.hostPid: unknown field"]);
  const wrongType = structuredClone(find("DaemonSet"));
  wrongType.spec.template.spec.containers[0].readinessProbe.periodSeconds = "10";
  assert.ok((await problems(wrongType)).some((p) => p.includes("/readinessProbe/periodSeconds")));
  const noSelector = structuredClone(find("DaemonSet"));
  delete noSelector.spec.selector;
  assert.ok((await problems(noSelector)).some((p) => p.includes("required")));
  const probeTypo = structuredClone(find("DaemonSet"));
  probeTypo.spec.template.spec.containers[0].readinessProbe.httpGet.pth = "/healthz";
  assert.ok((await problems(probeTypo)).includes(".spec.template.spec.containers[0].readinessProbe.httpGet.pth: unknown field"));
});

test("kustomization lists every manifest and all share one namespace", () => {
  const kustomization = manifests.find((m) => m.object.kind === "Kustomization").object;
  assert.deepEqual([...kustomization.resources].sort(), [...new Set(api.map((m) => m.file))].sort());
  const namespace = find("Namespace").metadata.name;
  for (const { object } of api) {
    if (object.kind !== "Namespace") assert.equal(object.metadata.namespace, namespace, object.kind);
  }
});

test("the pod is privileged exactly as documented, with the service's capability set", () => {
  const pod = find("DaemonSet").spec.template.spec;
  const [container] = pod.containers;
  assert.equal(pod.containers.length, 1);
  assert.equal(pod.hostPID, true);
  assert.equal(pod.hostNetwork, true);
  assert.equal(pod.hostIPC, undefined);
  const sc = container.securityContext;
  assert.equal(sc.privileged, false);
  assert.equal(sc.allowPrivilegeEscalation, false);
  assert.equal(sc.readOnlyRootFilesystem, true);
  assert.deepEqual(sc.capabilities.drop, ["ALL"]);
  assert.equal(sc.seccompProfile.type, "RuntimeDefault");
  // The same capabilities as schedcp-http.service's CapabilityBoundingSet.
  const unit = readFileSync(join(root, "packaging", "systemd", "schedcp-http.service.in"), "utf8");
  const bounding = unit.match(/^CapabilityBoundingSet=(.*)$/m)[1].split(/\s+/).map((c) => c.replace(/^CAP_/, ""));
  assert.deepEqual([...sc.capabilities.add].sort(), bounding.sort());
  // From the host: the data dir only (no /sys, /dev, /proc or / mounts).
  const hostPaths = pod.volumes.filter((v) => v.hostPath).map((v) => v.hostPath.path);
  assert.deepEqual(hostPaths, ["/var/lib/schedcp"]);
});

test("the probe, the address, the config and the token fit together", () => {
  const daemonset = find("DaemonSet");
  const pod = daemonset.spec.template.spec;
  const [container] = pod.containers;
  assert.deepEqual(daemonset.spec.selector.matchLabels, daemonset.spec.template.metadata.labels);
  // Listens on the node's address, on the port the probe and hostPort name.
  const env = Object.fromEntries(container.env.map((e) => [e.name, e.valueFrom?.fieldRef?.fieldPath]));
  assert.equal(env.NODE_IP, "status.hostIP");
  const http = container.args[container.args.indexOf("--http") + 1];
  const port = container.ports.find((p) => p.name === "mcp");
  assert.equal(http, `$(NODE_IP):${port.containerPort}`);
  assert.equal(port.hostPort, port.containerPort);
  for (const probe of [container.readinessProbe, container.livenessProbe]) {
    assert.equal(probe.httpGet.path, "/healthz");
    assert.equal(probe.httpGet.port, "mcp");
  }
  // Every mount has its volume; the config and the token come from this set's objects.
  const volumes = Object.fromEntries(pod.volumes.map((v) => [v.name, v]));
  for (const m of container.volumeMounts) assert.ok(volumes[m.name], `volume ${m.name}`);
  const configMap = find("ConfigMap");
  const secret = find("Secret");
  assert.equal(volumes.config.configMap.name, configMap.metadata.name);
  assert.equal(volumes.tokens.secret.secretName, secret.metadata.name);
  assert.ok("tokens" in secret.stringData);
  const configMount = container.volumeMounts.find((m) => m.name === "config");
  assert.equal(configMount.mountPath, container.args[container.args.indexOf("--config") + 1]);
  assert.ok(configMount.subPath in configMap.data);
  // The config: YAML, HTTP beyond loopback only with a token file under the Secret's mount.
  const config = parseYaml(configMap.data[configMount.subPath], { uniqueKeys: true });
  assert.equal(config.server.http.allow_non_loopback, true);
  assert.equal(config.server.http.listen, undefined, "the address is given by --http");
  const tokensMount = container.volumeMounts.find((m) => m.name === "tokens");
  assert.equal(config.server.http.auth.token_file, `${tokensMount.mountPath}/tokens`);
  assert.equal(config.data_dir, container.volumeMounts.find((m) => m.name === "data").mountPath);
  for (const plugin of config.plugins) {
    if (plugin.settings && "use_sudo" in plugin.settings) assert.equal(plugin.settings.use_sudo, "never", plugin.name);
  }
});
