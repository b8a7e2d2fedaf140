import { DataTypes, Model, type CreationOptional, type InferAttributes, type InferCreationAttributes, type Sequelize } from 'sequelize';
import { type OutboxStatus } from '../vocabulary.js';
export { type OutboxStatus };
import { asKey } from './cases.js';

/**
 * A notification waiting to be sent. Workers insert with a `dedupKey` (e.g. job key +
 * purpose) so a job delivered twice queues one message; senders drain pending rows.
 */
export class OutboxMessage extends Model<InferAttributes<OutboxMessage>, InferCreationAttributes<OutboxMessage>> {
  declare id: CreationOptional<string>;
  declare dedupKey: string;
  declare kind: string;
  declare channel: string;
  declare recipient: string;
  declare caseId: string | null;
  declare subject: string | null;
  declare body: string;
  declare status: CreationOptional<OutboxStatus>;
  declare attempts: CreationOptional<number>;
  declare nextAttemptAt: Date;
  declare lastError: string | null;
  declare sentAt: Date | null;
  declare createdAt: CreationOptional<Date>;
  declare updatedAt: CreationOptional<Date>;

  static initModel(sequelize: Sequelize): void {
    OutboxMessage.init(
      {
        id: {
          type: DataTypes.BIGINT,
          primaryKey: true,
          autoIncrement: true,
          get() {
            return asKey(this.getDataValue('id'));
          },
        },
        dedupKey: { type: DataTypes.STRING(128), allowNull: false, unique: true },
        kind: { type: DataTypes.STRING(24), allowNull: false },
        channel: { type: DataTypes.STRING(16), allowNull: false },
        recipient: { type: DataTypes.STRING(128), allowNull: false },
        caseId: {
          type: DataTypes.BIGINT,
          get() {
            return asKey(this.getDataValue('caseId'));
          },
        },
        subject: DataTypes.STRING(200),
        body: { type: DataTypes.TEXT, allowNull: false },
        status: { type: DataTypes.STRING(16), allowNull: false, defaultValue: 'pending' },
        attempts: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 0 },
        nextAttemptAt: { type: DataTypes.DATE, allowNull: false },
        lastError: DataTypes.TEXT,
        sentAt: DataTypes.DATE,
        createdAt: DataTypes.DATE,
        updatedAt: DataTypes.DATE,
      },
      { sequelize, tableName: 'notification_outbox', underscored: true },
    );
  }
}
