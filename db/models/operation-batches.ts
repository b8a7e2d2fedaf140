import { DataTypes, Model, type CreationOptional, type InferAttributes, type InferCreationAttributes, type Sequelize } from 'sequelize';
import { jsonText } from './json-text.js';

/** An operations batch (retry, cancel or migrate over a filter) with its progress; its instances are {@link OperationBatchItem}s. */
export class OperationBatch extends Model<InferAttributes<OperationBatch>, InferCreationAttributes<OperationBatch>> {
  declare id: string;
  declare action: string;
  declare filter: Record<string, unknown>;
  declare plan: Record<string, unknown> | null;
  declare reason: string;
  declare actor: string;
  declare actorRole: string;
  /** running (also after a restart, until it is carried on) or finished */
  declare state: string;
  declare total: number;
  declare processed: CreationOptional<number>;
  declare failed: CreationOptional<number>;
  /** how often a restart carried the batch on */
  declare resumed: CreationOptional<number>;
  declare createdAt: CreationOptional<Date>;
  declare updatedAt: CreationOptional<Date>;
  declare finishedAt: Date | null;

  static initModel(sequelize: Sequelize): void {
    OperationBatch.init(
      {
        id: { type: DataTypes.STRING(36), primaryKey: true },
        action: { type: DataTypes.STRING(16), allowNull: false },
        filter: jsonText<Record<string, unknown>>('filter', false),
        plan: jsonText<Record<string, unknown>>('plan'),
        reason: { type: DataTypes.TEXT, allowNull: false },
        actor: { type: DataTypes.STRING(64), allowNull: false },
        actorRole: { type: DataTypes.STRING(32), allowNull: false },
        state: { type: DataTypes.STRING(16), allowNull: false },
        total: { type: DataTypes.INTEGER, allowNull: false },
        processed: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 0 },
        failed: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 0 },
        resumed: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 0 },
        createdAt: DataTypes.DATE,
        updatedAt: DataTypes.DATE,
        finishedAt: DataTypes.DATE,
      },
      { sequelize, tableName: 'operation_batches', underscored: true },
    );
  }
}

/** One instance of a batch, in the batch's order (`position`), with its result. */
export class OperationBatchItem extends Model<InferAttributes<OperationBatchItem>, InferCreationAttributes<OperationBatchItem>> {
  declare batchId: string;
  declare position: number;
  declare processInstanceKey: string;
  declare caseNo: string | null;
  declare state: 'pending' | 'done' | 'failed';
  declare done: CreationOptional<number>;
  declare code: string | null;
  declare message: string | null;

  static initModel(sequelize: Sequelize): void {
    OperationBatchItem.init(
      {
        batchId: { type: DataTypes.STRING(36), primaryKey: true },
        position: { type: DataTypes.INTEGER, primaryKey: true },
        processInstanceKey: { type: DataTypes.STRING(32), allowNull: false },
        caseNo: DataTypes.STRING(32),
        state: { type: DataTypes.STRING(16), allowNull: false },
        done: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 0 },
        code: DataTypes.STRING(64),
        message: DataTypes.TEXT,
      },
      { sequelize, tableName: 'operation_batch_items', underscored: true, timestamps: false },
    );
  }
}
