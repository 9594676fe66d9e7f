import type { DataSource, EntityMetadata, ObjectLiteral } from "typeorm";

type EntityClass<T> = new () => T;

/** The columns of an entity under a table alias, and how to turn a raw row back into the entity. */
export interface EntityColumns<T> {
  /** `alias.column AS alias_property, …` for a SELECT list. */
  select: string;
  /** The entity from a raw row (null when its id column is NULL, as on the empty side of a LEFT JOIN). */
  hydrate(row: Record<string, unknown>): T | null;
}

const cache = new WeakMap<DataSource, Map<string, EntityColumns<unknown>>>();

// Column types the drivers hand over as the entity holds them (no transformer): no conversion.
const AS_IS = new Set<unknown>(["varchar", "nvarchar", "char", "text", "mediumtext", "longtext", "tinytext", "uuid", String]);

/**
 * The entity's columns under `alias` (computed once per data source, entity, alias and subset).
 * `only`: just these properties (the id always), for a hot path that needs a few of many columns;
 * the hydrated object then holds only those.
 */
export function entityColumns<T extends ObjectLiteral, K extends keyof T & string = keyof T & string>(
  dataSource: DataSource,
  entity: EntityClass<T>,
  alias: string,
  only?: readonly K[],
): EntityColumns<T> {
  let byKey = cache.get(dataSource);
  if (!byKey) cache.set(dataSource, (byKey = new Map()));
  const key = `${entity.name}:${alias}:${only?.join(",") ?? "*"}`;
  let found = byKey.get(key) as EntityColumns<T> | undefined;
  if (!found) {
    const driver = dataSource.driver;
    const metadata: EntityMetadata = dataSource.getMetadata(entity);
    const wanted = only ? new Set<string>(only) : null;
    const columns = metadata.columns
      .filter((c) => !c.isVirtual && (!wanted || wanted.has(c.propertyName) || c.isPrimary))
      .map((c) => ({ metadata: c, property: c.propertyName, label: `${alias}_${c.propertyName}`, asIs: AS_IS.has(c.type) && !c.transformer }));
    const id = columns.find((c) => c.metadata.isPrimary)!.label;
    found = {
      select: columns.map((c) => `${alias}.${driver.escape(c.metadata.databaseName)} AS ${driver.escape(c.label)}`).join(", "),
      hydrate(row) {
        if (row[id] === null || row[id] === undefined) return null;
        const instance = new entity() as Record<string, unknown>;
        for (const c of columns) {
          const value = row[c.label];
          instance[c.property] = c.asIs ? value : driver.prepareHydratedValue(value, c.metadata);
        }
        return instance as T;
      },
    };
    byKey.set(key, found as EntityColumns<unknown>);
  }
  return found;
}

/** `?, ?, ?` for an IN list of `count` values. */
export function placeholders(count: number): string {
  return Array.from({ length: count }, () => "?").join(", ");
}

/**
 * Entities whose `column` is one of `values`, in `orderBy` order (column names of the entity's
 * table): one raw statement through the data source (so deadlines, logging and query counting
 * apply as to any TypeORM query), hydrated with the driver's own conversions (dates, flags) into
 * instances of the entity class.
 *
 * Why not `find`: on the per-request loaders of big lists, the query builder and its generic
 * hydration cost about twice this (STACK.md); the rows are the same.
 */
export async function selectEntitiesIn<T extends ObjectLiteral>(
  dataSource: DataSource,
  entity: EntityClass<T>,
  column: string,
  values: readonly unknown[],
  options: { where?: { sql: string; params: unknown[] }; orderBy?: string } = {},
): Promise<T[]> {
  if (values.length === 0) return [];
  const columns = entityColumns(dataSource, entity, "t");
  const table = dataSource.driver.escape(dataSource.getMetadata(entity).tableName);
  const where = options.where ? ` AND ${options.where.sql}` : "";
  const sql = `SELECT ${columns.select} FROM ${table} t WHERE t.${dataSource.driver.escape(column)} IN (${placeholders(values.length)})${where}${options.orderBy ? ` ORDER BY ${options.orderBy}` : ""}`;
  const rows = (await dataSource.query(sql, [...values, ...(options.where?.params ?? [])])) as Array<Record<string, unknown>>;
  return rows.map((row) => columns.hydrate(row)!);
}
