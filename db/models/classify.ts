import { DataTypes, Model, type CreationOptional, type InferAttributes, type InferCreationAttributes, type Sequelize } from 'sequelize';
import { EXAMPLE_CHANNELS, EXAMPLE_SOURCES } from '../vocabulary.js';
export { EXAMPLE_CHANNELS, EXAMPLE_SOURCES };

/** A labelled report the classifier learns from (migration 0021). */
export class ClassifyExample extends Model<InferAttributes<ClassifyExample>, InferCreationAttributes<ClassifyExample>> {
  declare id: CreationOptional<number>;
  declare code: string;
  declare text: string;
  declare label: string;
  declare channel: CreationOptional<string>;
  declare source: (typeof EXAMPLE_SOURCES)[number];
  declare caseId: string | null;
  declare createdAt: CreationOptional<Date>;
  declare updatedAt: CreationOptional<Date>;

  static initModel(sequelize: Sequelize): void {
    ClassifyExample.init(
      {
        id: { type: DataTypes.INTEGER, primaryKey: true, autoIncrement: true },
        code: { type: DataTypes.STRING(32), allowNull: false, unique: true },
        text: { type: DataTypes.TEXT, allowNull: false },
        label: { type: DataTypes.STRING(32), allowNull: false },
        channel: { type: DataTypes.STRING(16), allowNull: false, defaultValue: 'other' },
        source: { type: DataTypes.STRING(16), allowNull: false },
        caseId: {
          type: DataTypes.BIGINT,
          allowNull: true,
          get(this: ClassifyExample) {
            const v = this.getDataValue('caseId');
            return v === null ? null : String(v);
          },
        },
        createdAt: DataTypes.DATE,
        updatedAt: DataTypes.DATE,
      },
      { sequelize, tableName: 'classify_examples', underscored: true },
    );
  }
}

/** A trained classifier version (migration 0022). */
export class ClassifyModel extends Model<InferAttributes<ClassifyModel>, InferCreationAttributes<ClassifyModel>> {
  declare id: CreationOptional<number>;
  declare algorithm: string;
  declare state: string;
  declare examples: number;
  declare operatorExamples: number;
  declare lastExampleId: number;
  declare typeTop1: number;
  declare typeTop3: number;
  declare categoryAccuracy: number;
  declare notDispatchableRecall: number;
  declare active: CreationOptional<boolean>;
  declare reason: string;
  declare createdAt: CreationOptional<Date>;

  static initModel(sequelize: Sequelize): void {
    ClassifyModel.init(
      {
        id: { type: DataTypes.INTEGER, primaryKey: true, autoIncrement: true },
        algorithm: { type: DataTypes.STRING(16), allowNull: false },
        state: { type: DataTypes.TEXT, allowNull: false },
        examples: { type: DataTypes.INTEGER, allowNull: false },
        operatorExamples: { type: DataTypes.INTEGER, allowNull: false },
        lastExampleId: { type: DataTypes.INTEGER, allowNull: false },
        typeTop1: { type: DataTypes.FLOAT, allowNull: false },
        typeTop3: { type: DataTypes.FLOAT, allowNull: false },
        categoryAccuracy: { type: DataTypes.FLOAT, allowNull: false },
        notDispatchableRecall: { type: DataTypes.FLOAT, allowNull: false },
        active: { type: DataTypes.BOOLEAN, allowNull: false, defaultValue: false },
        reason: { type: DataTypes.STRING(200), allowNull: false },
        createdAt: DataTypes.DATE,
      },
      { sequelize, tableName: 'classify_models', underscored: true, updatedAt: false },
    );
  }
}
