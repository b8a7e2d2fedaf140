import { DataTypes, Model, type CreationOptional, type InferAttributes, type InferCreationAttributes, type Sequelize } from 'sequelize';
import { type EvaluationMetrics, type EvaluationScope } from '../vocabulary.js';
export { type EvaluationMetrics, type EvaluationScope };
import { asKey } from './cases.js';
import { jsonText } from './json-text.js';

/**
 * Metrics of one case, or of one unit/township/category over a period, with the composite score.
 * Unit and township rows name their unit in `unitId`; category rows have no unit and name their
 * category in `category` (case rows carry the case's category there too).
 */
export class Evaluation extends Model<InferAttributes<Evaluation>, InferCreationAttributes<Evaluation>> {
  declare id: CreationOptional<string>;
  declare scope: EvaluationScope;
  declare caseId: string | null;
  declare unitId: number | null;
  declare category: CreationOptional<string | null>;
  declare periodStart: Date | null;
  declare periodEnd: Date | null;
  declare metrics: EvaluationMetrics;
  declare score: number | null;
  declare createdAt: CreationOptional<Date>;
  declare updatedAt: CreationOptional<Date>;

  static initModel(sequelize: Sequelize): void {
    Evaluation.init(
      {
        id: {
          type: DataTypes.BIGINT,
          primaryKey: true,
          autoIncrement: true,
          get() {
            return asKey(this.getDataValue('id'));
          },
        },
        scope: { type: DataTypes.STRING(16), allowNull: false },
        caseId: {
          type: DataTypes.BIGINT,
          get() {
            return asKey(this.getDataValue('caseId'));
          },
        },
        unitId: DataTypes.INTEGER,
        category: DataTypes.STRING(16),
        periodStart: DataTypes.DATE,
        periodEnd: DataTypes.DATE,
        metrics: jsonText<EvaluationMetrics>('metrics', false),
        score: DataTypes.DOUBLE,
        createdAt: DataTypes.DATE,
        updatedAt: DataTypes.DATE,
      },
      { sequelize, tableName: 'evaluations', underscored: true },
    );
  }
}
