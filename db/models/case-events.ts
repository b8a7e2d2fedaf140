import { DataTypes, Model, type CreationOptional, type InferAttributes, type InferCreationAttributes, type Sequelize } from 'sequelize';
import { asKey } from './cases.js';
import { jsonText } from './json-text.js';

/** One engine element event of a case's process instances (or of the instances they call). */
export class CaseEvent extends Model<InferAttributes<CaseEvent>, InferCreationAttributes<CaseEvent>> {
  declare id: CreationOptional<string>;
  /** sha256 of the event's identity: the same event delivered twice is stored once */
  declare eventKey: string;
  declare caseId: string | null;
  declare processInstanceKey: string;
  declare parentInstanceKey: string | null;
  declare elementInstanceKey: string | null;
  declare elementId: string;
  declare elementType: string | null;
  declare bpmnProcessId: string | null;
  declare intent: string;
  declare at: Date;
  declare detail: Record<string, unknown> | null;
  declare createdAt: CreationOptional<Date>;

  static initModel(sequelize: Sequelize): void {
    CaseEvent.init(
      {
        id: {
          type: DataTypes.BIGINT,
          primaryKey: true,
          autoIncrement: true,
          get() {
            return asKey(this.getDataValue('id'));
          },
        },
        eventKey: { type: DataTypes.STRING(64), allowNull: false, unique: true },
        caseId: {
          type: DataTypes.BIGINT,
          get() {
            return asKey(this.getDataValue('caseId'));
          },
        },
        processInstanceKey: { type: DataTypes.STRING(32), allowNull: false },
        parentInstanceKey: DataTypes.STRING(32),
        elementInstanceKey: DataTypes.STRING(32),
        elementId: { type: DataTypes.STRING(128), allowNull: false },
        elementType: DataTypes.STRING(48),
        bpmnProcessId: DataTypes.STRING(128),
        intent: { type: DataTypes.STRING(24), allowNull: false },
        at: { type: DataTypes.DATE(3), allowNull: false },
        detail: jsonText<Record<string, unknown>>('detail'),
        createdAt: DataTypes.DATE,
      },
      { sequelize, tableName: 'case_events', underscored: true, updatedAt: false },
    );
  }
}
