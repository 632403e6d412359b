// Checks Grafana dashboard JSON offline and prints one JSON report per dashboard on stdout.
// Run through scripts/dashboard-lint; dev.sigaudit.dashboards.DashboardSchemaTest reads the
// report and turns it into test failures (the project's rules - which metrics and labels exist,
// which variables a dashboard must have - live in the test, next to the code that exports them).
//
//   node lint-dashboards.cjs NODE_MODULES_DIR SCHEMA_FILE DASHBOARD.json...
//
// For each dashboard:
//   schemaErrors   - ajv errors against Grafana's dashboard schema (SCHEMA_FILE "dashboard");
//   panelErrors    - each panel's `options` and `fieldConfig.defaults.custom` against its panel
//                    plugin's published types (SCHEMA_FILE "panels"), unknown panel types;
//   expressions    - every PromQL expression (panel targets, query variables, annotations) with
//                    syntax errors from Prometheus' lezer grammar (@prometheus-io/lezer-promql),
//                    type errors from Prometheus UI's linter (@prometheus-io/codemirror-promql),
//                    and what it references: selectors (metric + matchers), label names used in
//                    by/without/on/ignoring/group_*, labels created by label_replace/label_join,
//                    and Grafana template variables;
//   unchecked      - JSON paths of `expr` fields this script does not know how to reach (so a new
//                    place for queries cannot silently escape the checks).
'use strict';

const fs = require('node:fs');
const path = require('node:path');

const [modules, schemaFile, ...files] = process.argv.slice(2);
if (!modules || !schemaFile || files.length === 0) {
  console.error('usage: node lint-dashboards.cjs NODE_MODULES_DIR SCHEMA_FILE DASHBOARD.json...');
  process.exit(2);
}
const need = (m) => require(path.join(modules, m));
const Ajv = need('ajv');
const { parser } = need('@prometheus-io/lezer-promql');
const { EditorState } = need('@codemirror/state');
const { ensureSyntaxTree, syntaxTree } = need('@codemirror/language');
const { promQLLanguage, LanguageType } = need('@prometheus-io/codemirror-promql');
const { Parser: PromQLLinter } = need('@prometheus-io/codemirror-promql/dist/cjs/parser');

const schemas = JSON.parse(fs.readFileSync(schemaFile, 'utf8'));
const ajv = new Ajv({ allErrors: true, strict: true, allowUnionTypes: true });
const validateDashboard = ajv.compile(schemas.dashboard);
const panelValidators = {};
for (const [type, s] of Object.entries(schemas.panels)) {
  panelValidators[type] = {
    options: ajv.compile(s.options),
    fieldConfig: s.fieldConfig ? ajv.compile(s.fieldConfig) : null,
  };
}
const promql = promQLLanguage(LanguageType.PromQL);

// Grafana's global variables that expand to a duration or a number; values are arbitrary but
// valid, they only have to parse.
const DURATION_VARS = new Set(['__interval', '__rate_interval', '__range', '__auto']);
const NUMBER_VARS = new Set(['__interval_ms', '__range_s', '__range_ms']);
// $var, ${var}, ${var:format}, [[var]] (https://grafana.com/docs/grafana/latest/dashboards/variables/variable-syntax/)
const VAR_RE = /\$\{(\w+)(?::[^}]*)?\}|\$(\w+)|\[\[(\w+)(?::[^\]]*)?\]\]/g;

/** Replaces Grafana variables so that the expression can be parsed; notes which were used. */
function substitute(expr) {
  const used = [];
  const problems = [];
  const strings = stringSpans(expr);
  const inString = (i) => strings.some(([a, b]) => i > a && i < b);
  const parsed = expr.replace(VAR_RE, (m, a, b, c, offset) => {
    const name = a || b || c;
    used.push(name);
    if (DURATION_VARS.has(name)) return '5m';
    if (NUMBER_VARS.has(name)) return '300';
    if (inString(offset)) return m; // any text is a valid string literal
    problems.push(`template variable ${m} outside a string literal cannot be checked offline`);
    return '0';
  });
  return { parsed, used: [...new Set(used)], problems };
}

/** [start, end] offsets of PromQL string literals ("...", '...', `...`). */
function stringSpans(s) {
  const spans = [];
  for (let i = 0; i < s.length; i++) {
    const q = s[i];
    if (q !== '"' && q !== "'" && q !== '`') continue;
    let j = i + 1;
    while (j < s.length && s[j] !== q) j += q !== '`' && s[j] === '\\' ? 2 : 1;
    spans.push([i, j]);
    i = j;
  }
  return spans;
}

function unquote(literal) {
  const q = literal[0];
  const body = literal.slice(1, -1);
  return q === '`' ? body : body.replace(/\\(.)/g, '$1');
}

function snippet(text, from, to) {
  const a = Math.max(0, from - 15);
  const b = Math.min(text.length, Math.max(to, from + 1) + 15);
  return `${a > 0 ? '…' : ''}${text.slice(a, b)}${b < text.length ? '…' : ''}`;
}

function blank(expr) {
  return {
    parsed: expr,
    variables: [],
    syntaxErrors: [],
    typeErrors: [],
    selectors: [],
    labelRefs: [],
    createdLabels: [],
  };
}

/** Parses one PromQL expression and collects what the test needs to know about it. */
function analyze(expr) {
  const out = blank(expr);
  const sub = substitute(expr);
  out.parsed = sub.parsed;
  out.variables = sub.used;
  out.syntaxErrors.push(...sub.problems);
  const text = sub.parsed;
  if (text.trim() === '') {
    out.syntaxErrors.push('empty expression');
    return out;
  }

  const tree = parser.parse(text);
  const at = (n) => text.slice(n.from, n.to);
  tree.iterate({
    enter(ref) {
      const n = ref.node;
      if (n.type.isError) {
        out.syntaxErrors.push(`syntax error at offset ${n.from}: ${snippet(text, n.from, n.to)}`);
        return;
      }
      switch (n.name) {
        case 'VectorSelector':
          out.selectors.push(selector(n, at));
          break;
        case 'GroupingLabels': {
          const context = n.prevSibling ? at(n.prevSibling) : n.parent ? n.parent.name : '';
          for (let c = n.firstChild; c; c = c.nextSibling) {
            if (c.name === 'LabelName') out.labelRefs.push({ label: at(c), context });
            if (c.name === 'QuotedLabelName') out.labelRefs.push({ label: unquote(at(c)), context });
          }
          break;
        }
        case 'FunctionCall': {
          const fn = at(n.getChild('FunctionIdentifier') || n.firstChild);
          const args = n.getChild('FunctionCallBody');
          const strings = args ? args.getChildren('StringLiteral').map((s) => unquote(at(s))) : [];
          if (fn === 'label_replace' && strings.length === 4) {
            out.createdLabels.push(strings[0]);
            out.labelRefs.push({ label: strings[2], context: 'label_replace source' });
          } else if (fn === 'label_join' && strings.length >= 2) {
            out.createdLabels.push(strings[0]);
            for (const s of strings.slice(2)) out.labelRefs.push({ label: s, context: 'label_join source' });
          }
          break;
        }
      }
    },
  });

  // The linter of Prometheus' own UI: function argument types, range vs instant vectors,
  // aggregation parameters, binary operator operand types, ...
  // EditorState.create parses under a 20 ms budget and keeps that (possibly partial) tree as the
  // one syntaxTree(state) and the linter read; on a loaded machine the linter then reported
  // arguments missing from calls that have them. Finish the parse, then take a state that holds
  // the whole tree.
  let state = EditorState.create({ doc: text, extensions: promql });
  if (!ensureSyntaxTree(state, text.length, 120_000)) {
    throw new Error(`PromQL parse of ${JSON.stringify(text)} did not finish in 120 s`);
  }
  state = state.update({}).state;
  if (syntaxTree(state).length < text.length) {
    throw new Error(`PromQL parse of ${JSON.stringify(text)} is incomplete`);
  }
  const linter = new PromQLLinter(state);
  linter.analyze();
  for (const d of linter.getDiagnostics()) {
    out.typeErrors.push(`${d.severity}: ${d.message} at offset ${d.from}: ${snippet(text, d.from, d.to)}`);
  }
  return out;
}

function selector(node, at) {
  const s = { text: at(node), metric: null, matchers: [] };
  const id = node.getChild('Identifier');
  if (id) s.metric = at(id);
  const matchers = node.getChild('LabelMatchers');
  for (let m = matchers ? matchers.firstChild : null; m; m = m.nextSibling) {
    if (m.name === 'QuotedLabelName') {
      s.metric = unquote(at(m)); // {"metric.name"}
      continue;
    }
    if (m.name !== 'UnquotedLabelMatcher' && m.name !== 'QuotedLabelMatcher') continue;
    const name = m.getChild('LabelName') || m.getChild('QuotedLabelName');
    const op = m.getChild('MatchOp');
    const value = m.getChild('StringLiteral');
    const label = name.name === 'QuotedLabelName' ? unquote(at(name)) : at(name);
    const matcher = { label, op: op ? at(op) : '', value: value ? unquote(at(value)) : '' };
    if (label === '__name__' && matcher.op === '=') s.metric = matcher.value;
    else s.matchers.push(matcher);
  }
  return s;
}

/**
 * Grafana's Prometheus variable query syntax is not PromQL: label_values(selector, label) and
 * query_result(expr) wrap PromQL; label_names() and metrics() query every metric and are refused.
 */
function variableQuery(query) {
  let m = query.match(/^\s*label_values\(\s*(.*?)\s*,\s*([A-Za-z_][A-Za-z0-9_]*)\s*\)\s*$/s);
  if (m) return { promql: m[1], label: m[2] };
  m = query.match(/^\s*query_result\(\s*(.*)\s*\)\s*$/s);
  if (m) return { promql: m[1], label: null };
  m = query.match(/^\s*label_values\(\s*([A-Za-z_][A-Za-z0-9_]*)\s*\)\s*$/);
  if (m) return { error: 'label_values(label) without a metric reads every series: name a metric' };
  return { error: 'unsupported variable query (use label_values(selector, label) or query_result(expr))' };
}

function panelName(p) {
  return `panel "${p.title || ''}" (id ${p.id})`;
}

function flattenPanels(panels, base) {
  const out = [];
  (panels || []).forEach((p, i) => {
    const at = `${base}/${i}`;
    out.push({ panel: p, path: at });
    if (p && Array.isArray(p.panels)) out.push(...flattenPanels(p.panels, `${at}/panels`));
  });
  return out;
}

/** Names the panel or variable an ajv instancePath points into. */
function describePath(dash, instancePath) {
  let m = instancePath.match(/^\/panels\/(\d+)(?:\/panels\/(\d+))?/);
  if (m) {
    let p = (dash.panels || [])[+m[1]];
    if (m[2] !== undefined && p) p = (p.panels || [])[+m[2]];
    if (p) return panelName(p);
  }
  m = instancePath.match(/^\/templating\/list\/(\d+)/);
  if (m) {
    const v = ((dash.templating || {}).list || [])[+m[1]];
    if (v) return `variable "${v.name}"`;
  }
  return 'dashboard';
}

function ajvMessages(errors, dash, prefix) {
  return (errors || []).map((e) => {
    const where = prefix + e.instancePath;
    const extra =
      e.params && e.params.additionalProperty !== undefined
        ? `: "${e.params.additionalProperty}"`
        : e.params && e.params.allowedValues
          ? `: ${JSON.stringify(e.params.allowedValues)}`
          : '';
    return { where: describePath(dash, where), path: where || '/', message: `${e.message}${extra}` };
  });
}

function collectExprPaths(value, p, acc) {
  if (Array.isArray(value)) value.forEach((v, i) => collectExprPaths(v, `${p}/${i}`, acc));
  else if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      if (k === 'expr') acc.push(`${p}/${k}`);
      collectExprPaths(v, `${p}/${k}`, acc);
    }
  }
  return acc;
}

function lint(file) {
  const report = { file: path.basename(file), schemaErrors: [], panelErrors: [], expressions: [], unchecked: [] };
  let dash;
  try {
    dash = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (e) {
    report.schemaErrors.push({ where: 'dashboard', path: '/', message: `not JSON: ${e.message}` });
    return report;
  }
  if (!validateDashboard(dash)) report.schemaErrors.push(...ajvMessages(validateDashboard.errors, dash, ''));

  const visited = new Set();
  for (const { panel: p, path: at } of flattenPanels(dash.panels, '/panels')) {
    if (!p || typeof p !== 'object') continue;
    if (p.type !== 'row') {
      const v = panelValidators[p.type];
      if (!v) {
        report.panelErrors.push({
          where: panelName(p),
          path: `${at}/type`,
          message: `no published schema for panel type "${p.type}" (known: ${Object.keys(panelValidators).join(', ')})`,
        });
      } else {
        if (p.options !== undefined && !v.options(p.options)) {
          report.panelErrors.push(...ajvMessages(v.options.errors, dash, `${at}/options`));
        }
        const custom = p.fieldConfig && p.fieldConfig.defaults && p.fieldConfig.defaults.custom;
        if (custom !== undefined) {
          if (!v.fieldConfig && Object.keys(custom).length > 0) {
            report.panelErrors.push({
              where: panelName(p),
              path: `${at}/fieldConfig/defaults/custom`,
              message: `panel type "${p.type}" has no custom field config`,
            });
          } else if (v.fieldConfig && !v.fieldConfig(custom)) {
            report.panelErrors.push(...ajvMessages(v.fieldConfig.errors, dash, `${at}/fieldConfig/defaults/custom`));
          }
        }
      }
    }
    (p.targets || []).forEach((t, i) => {
      if (!t || typeof t.expr !== 'string') return;
      visited.add(`${at}/targets/${i}/expr`);
      report.expressions.push({
        location: `${panelName(p)}, query ${t.refId || i}`,
        path: `${at}/targets/${i}/expr`,
        panelId: p.id,
        panelTitle: p.title || '',
        refId: t.refId || String(i),
        expr: t.expr,
        ...analyze(t.expr),
      });
    });
  }

  ((dash.templating || {}).list || []).forEach((v, i) => {
    if (!v || v.type !== 'query') return;
    const q = typeof v.query === 'string' ? v.query : v.query && v.query.query;
    const at = `/templating/list/${i}/query`;
    const base = { location: `variable "${v.name}"`, path: at, variable: v.name, expr: q || '' };
    if (typeof q !== 'string') {
      report.expressions.push({ ...base, ...blank(''), syntaxErrors: ['variable query missing'] });
      return;
    }
    const vq = variableQuery(q);
    if (vq.error) {
      report.expressions.push({ ...base, ...blank(q), syntaxErrors: [vq.error] });
      return;
    }
    const a = analyze(vq.promql);
    if (vq.label) a.labelRefs.push({ label: vq.label, context: 'label_values' });
    report.expressions.push({ ...base, ...a, valuesLabel: vq.label });
  });

  ((dash.annotations || {}).list || []).forEach((a, i) => {
    const expr = a && (a.expr !== undefined ? a.expr : a.target && a.target.expr);
    if (typeof expr !== 'string') return;
    const at = `/annotations/list/${i}/${a.expr !== undefined ? 'expr' : 'target/expr'}`;
    visited.add(at);
    report.expressions.push({ location: `annotation "${a.name}"`, path: at, expr, ...analyze(expr) });
  });

  report.unchecked = collectExprPaths(dash, '', []).filter((p) => !visited.has(p));
  return report;
}

process.stdout.write(JSON.stringify(files.map(lint), null, 2) + '\n');
