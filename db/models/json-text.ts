import { DataTypes, type ModelAttributeColumnOptions } from 'sequelize';

/**
 * A JSON value kept in a TEXT column. MariaDB's JSON type is LONGTEXT underneath and
 * comes back as a string through the mysql dialect, so we serialise ourselves and get
 * the same behaviour on both databases.
 */
export function jsonText<T>(field: string, allowNull = true): ModelAttributeColumnOptions {
  return {
    type: DataTypes.TEXT,
    allowNull,
    get(this: { getDataValue(key: string): unknown }): T | null {
      const raw = this.getDataValue(field);
      return typeof raw === 'string' ? (JSON.parse(raw) as T) : null;
    },
    set(this: { setDataValue(key: string, value: unknown): void }, value: T | null) {
      this.setDataValue(field, value === null || value === undefined ? null : JSON.stringify(value));
    },
  };
}
