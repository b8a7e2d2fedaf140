import { DataTypes, Model, type CreationOptional, type InferAttributes, type InferCreationAttributes, type Sequelize } from 'sequelize';
import { asKey } from './cases.js';
import { jsonText } from './json-text.js';

/**
 * One append-only, hash-chained audit record: `hash` = sha256 over the previous hash and
 * this record's content, so any edit or deletion breaks the chain from that row on.
 */
export class AuditRecord extends Model<InferAttributes<AuditRecord>, InferCreationAttributes<AuditRecord>> {
  declare id: CreationOptional<string>;
  declare caseId: string | null;
  declare actor: string;
  declare actorRole: string | null;
  declare action: string;
  declare detail: Record<string, unknown> | null;
  /** who-did-it-once key (a job key, a request id): unique, so a repeated delivery finds its first record */
  declare dedupKey: CreationOptional<string | null>;
  declare prevHash: string;
  declare hash: string;
  declare createdAt: CreationOptional<Date>;

  static initModel(sequelize: Sequelize): void {
    AuditRecord.init(
      {
        id: {
          type: DataTypes.BIGINT,
          primaryKey: true,
          autoIncrement: true,
          get() {
            return asKey(this.getDataValue('id'));
          },
        },
        caseId: {
          type: DataTypes.BIGINT,
          get() {
            return asKey(this.getDataValue('caseId'));
          },
        },
        actor: { type: DataTypes.STRING(64), allowNull: false },
        actorRole: DataTypes.STRING(24),
        action: { type: DataTypes.STRING(64), allowNull: false },
        detail: jsonText<Record<string, unknown>>('detail'),
        dedupKey: { type: DataTypes.STRING(128), allowNull: true, unique: true },
        prevHash: { type: DataTypes.STRING(64), allowNull: false },
        hash: { type: DataTypes.STRING(64), allowNull: false, unique: true },
        createdAt: DataTypes.DATE,
      },
      { sequelize, tableName: 'audit_log', underscored: true, updatedAt: false },
    );
  }
}
