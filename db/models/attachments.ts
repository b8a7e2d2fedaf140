import { DataTypes, Model, type CreationOptional, type InferAttributes, type InferCreationAttributes, type Sequelize } from 'sequelize';
import { type AttachmentKind } from '../vocabulary.js';
export { type AttachmentKind };
import { asKey } from './cases.js';

/** A file attached to a case; the bytes live under DATA_DIR, the row keeps their hash. */
export class Attachment extends Model<InferAttributes<Attachment>, InferCreationAttributes<Attachment>> {
  declare id: CreationOptional<string>;
  declare caseId: string;
  declare kind: AttachmentKind;
  declare fileName: string;
  declare mimeType: string;
  declare sizeBytes: number;
  declare sha256: string;
  declare storagePath: string;
  declare uploadedBy: number | null;
  declare createdAt: CreationOptional<Date>;

  static initModel(sequelize: Sequelize): void {
    Attachment.init(
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
          allowNull: false,
          get() {
            return asKey(this.getDataValue('caseId'));
          },
        },
        kind: { type: DataTypes.STRING(16), allowNull: false },
        fileName: { type: DataTypes.STRING(255), allowNull: false },
        mimeType: { type: DataTypes.STRING(100), allowNull: false },
        sizeBytes: { type: DataTypes.INTEGER, allowNull: false },
        sha256: { type: DataTypes.STRING(64), allowNull: false },
        storagePath: { type: DataTypes.STRING(255), allowNull: false },
        uploadedBy: DataTypes.INTEGER,
        createdAt: DataTypes.DATE,
      },
      { sequelize, tableName: 'attachments', underscored: true, updatedAt: false },
    );
  }
}
