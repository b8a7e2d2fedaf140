import {
  DataTypes, Model, type CreationOptional, type InferAttributes, type InferCreationAttributes, type Sequelize,
} from 'sequelize';
import { asKey } from './cases.js';
import { jsonText } from './json-text.js';

export type EvaluationScope = 'case' | 'unit' | 'township';

/** Metrics of one case, or of one unit/township over a period, with the composite score. */
export class Evaluation extends Model<InferAttributes<Evaluation>, InferCreationAttributes<Evaluation>> {
  declare id: CreationOptional<string>;
  declare scope: EvaluationScope;
  declare caseId: string | null;
  declare unitId: number | null;
  declare periodStart: Date | null;
  declare periodEnd: Date | null;
  declare metrics: Record<string, number | null>;
  declare score: number | null;
  declare createdAt: CreationOptional<Date>;
  declare updatedAt: CreationOptional<Date>;

  static initModel(sequelize: Sequelize): void {
    Evaluation.init(
      {
        id: { type: DataTypes.BIGINT, primaryKey: true, autoIncrement: true, get() { return asKey(this.getDataValue('id')); } },
        scope: { type: DataTypes.STRING(16), allowNull: false },
        caseId: { type: DataTypes.BIGINT, get() { return asKey(this.getDataValue('caseId')); } },
        unitId: DataTypes.INTEGER,
        periodStart: DataTypes.DATE,
        periodEnd: DataTypes.DATE,
        metrics: jsonText<Record<string, number | null>>('metrics', false),
        score: DataTypes.DOUBLE,
        createdAt: DataTypes.DATE,
        updatedAt: DataTypes.DATE,
      },
      { sequelize, tableName: 'evaluations', underscored: true },
    );
  }
}
