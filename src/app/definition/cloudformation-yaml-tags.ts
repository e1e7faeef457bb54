/**
 * YAML tags of CloudFormation's short form (`!Ref`, `!Sub`, `!ImportValue`...), read as the long form
 * (`{ Ref: x }`, `{ 'Fn::Sub': x }`...), so that a template like the seed's parses with the `yaml` library.
 */
import { Pair, Scalar, YAMLMap, type CollectionTag, type ScalarTag } from 'yaml';

const FUNCTIONS = [
  'Base64', 'Cidr', 'FindInMap', 'GetAtt', 'GetAZs', 'ImportValue', 'Join', 'Select', 'Split', 'Sub', 'Transform',
  'And', 'Equals', 'If', 'Not', 'Or', 'Condition', 'Length', 'ToJsonString',
] as const;

function longForm(name: string, value: unknown): Record<string, unknown> {
  if (name === 'Ref') return { Ref: value };
  if (name === 'Condition') return { Condition: value };
  // `!GetAtt Res.Attr` is the scalar spelling of `Fn::GetAtt: [Res, Attr]`.
  if (name === 'GetAtt' && typeof value === 'string') {
    const dot = value.indexOf('.');
    return { 'Fn::GetAtt': dot < 0 ? [value] : [value.slice(0, dot), value.slice(dot + 1)] };
  }
  return { [`Fn::${name}`]: value };
}

/**
 * `!If [a, b, c]` becomes the map `{Fn::If: [a, b, c]}` as a node of the document, the list keeping its own nodes,
 * so that an error inside it (the condition name `a`) is placed at its line and column.
 */
function wrapCollection(name: string, collection: unknown): YAMLMap {
  const map = new YAMLMap();
  map.items.push(new Pair(new Scalar(name === 'Ref' || name === 'Condition' ? name : `Fn::${name}`), collection));
  return map;
}

function tagsFor(name: string): (ScalarTag | CollectionTag)[] {
  const tag = `!${name}`;
  return [
    { tag, resolve: (value: string) => longForm(name, value) } as ScalarTag,
    { tag, collection: 'seq', resolve: (seq: unknown) => wrapCollection(name, seq) } as unknown as CollectionTag,
    { tag, collection: 'map', resolve: (map: unknown) => wrapCollection(name, map) } as unknown as CollectionTag,
  ];
}

export const cloudFormationTags: (ScalarTag | CollectionTag)[] = [...['Ref', ...FUNCTIONS].flatMap(tagsFor)];
