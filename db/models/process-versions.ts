import { DataTypes, Model, type CreationOptional, type InferAttributes, type InferCreationAttributes, type Sequelize } from 'sequelize';

/** One deployed version of a BPMN process, with the XML exactly as it was deployed. */
export class ProcessVersion extends Model<InferAttributes<ProcessVersion>, InferCreationAttributes<ProcessVersion>> {
  declare id: CreationOptional<number>;
  declare processId: string;
  declare version: number;
  declare processDefinitionKey: string;
  declare name: string | null;
  declare resourceName: string;
  declare xml: string;
  declare checksum: string;
  declare deployedBy: string;
  declare deployedAt: Date;

  static initModel(sequelize: Sequelize): void {
    ProcessVersion.init(
      {
        id: { type: DataTypes.INTEGER, primaryKey: true, autoIncrement: true },
        processId: { type: DataTypes.STRING(191), allowNull: false },
        version: { type: DataTypes.INTEGER, allowNull: false },
        processDefinitionKey: { type: DataTypes.STRING(32), allowNull: false },
        name: DataTypes.STRING(255),
        resourceName: { type: DataTypes.STRING(255), allowNull: false },
        xml: { type: DataTypes.TEXT, allowNull: false },
        checksum: { type: DataTypes.STRING(64), allowNull: false },
        deployedBy: { type: DataTypes.STRING(64), allowNull: false },
        deployedAt: { type: DataTypes.DATE, allowNull: false },
      },
      { sequelize, tableName: 'process_versions', underscored: true, timestamps: false },
    );
  }
}

/** The modeler's work in progress for one process id: saved, not deployed. */
export class ProcessDraft extends Model<InferAttributes<ProcessDraft>, InferCreationAttributes<ProcessDraft>> {
  declare processId: string;
  declare xml: string;
  declare savedBy: string;
  declare savedAt: Date;

  static initModel(sequelize: Sequelize): void {
    ProcessDraft.init(
      {
        processId: { type: DataTypes.STRING(191), primaryKey: true },
        xml: { type: DataTypes.TEXT, allowNull: false },
        savedBy: { type: DataTypes.STRING(64), allowNull: false },
        savedAt: { type: DataTypes.DATE, allowNull: false },
      },
      { sequelize, tableName: 'process_drafts', underscored: true, timestamps: false },
    );
  }
}

/** One deployed version of a form-js form; `schema` is the form JSON as deployed. */
export class FormVersion extends Model<InferAttributes<FormVersion>, InferCreationAttributes<FormVersion>> {
  declare id: CreationOptional<number>;
  declare formId: string;
  declare version: number;
  declare formKey: string;
  declare schema: string;
  declare checksum: string;
  declare deployedBy: string;
  declare deployedAt: Date;

  static initModel(sequelize: Sequelize): void {
    FormVersion.init(
      {
        id: { type: DataTypes.INTEGER, primaryKey: true, autoIncrement: true },
        formId: { type: DataTypes.STRING(191), allowNull: false },
        version: { type: DataTypes.INTEGER, allowNull: false },
        formKey: { type: DataTypes.STRING(32), allowNull: false },
        schema: { type: DataTypes.TEXT, allowNull: false },
        checksum: { type: DataTypes.STRING(64), allowNull: false },
        deployedBy: { type: DataTypes.STRING(64), allowNull: false },
        deployedAt: { type: DataTypes.DATE, allowNull: false },
      },
      { sequelize, tableName: 'form_versions', underscored: true, timestamps: false },
    );
  }
}
