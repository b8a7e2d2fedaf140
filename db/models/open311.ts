import { DataTypes, Model, type CreationOptional, type InferAttributes, type InferCreationAttributes, type Sequelize } from 'sequelize';
import { asKey } from './cases.js';
import { jsonText } from './json-text.js';

/** An application allowed to file Open311 service requests; only the SHA-256 of its API key is stored. */
export class Open311Client extends Model<InferAttributes<Open311Client>, InferCreationAttributes<Open311Client>> {
  declare id: CreationOptional<number>;
  declare name: string;
  declare keyHash: string;
  declare enabled: CreationOptional<boolean>;
  declare createdBy: string | null;
  declare disabledAt: Date | null;
  declare createdAt: CreationOptional<Date>;
  declare updatedAt: CreationOptional<Date>;

  static initModel(sequelize: Sequelize): void {
    Open311Client.init(
      {
        id: { type: DataTypes.INTEGER, primaryKey: true, autoIncrement: true },
        name: { type: DataTypes.STRING(100), allowNull: false },
        keyHash: { type: DataTypes.STRING(64), allowNull: false, unique: true },
        enabled: { type: DataTypes.BOOLEAN, allowNull: false, defaultValue: true },
        createdBy: DataTypes.STRING(64),
        disabledAt: DataTypes.DATE,
        createdAt: DataTypes.DATE,
        updatedAt: DataTypes.DATE,
      },
      { sequelize, tableName: 'open311_clients', underscored: true },
    );
  }
}

/** What an Open311 submission carried beyond the case: client, request token, media_url, attribute answers, contact fields. */
export class Open311Request extends Model<InferAttributes<Open311Request>, InferCreationAttributes<Open311Request>> {
  declare caseId: string;
  declare clientId: number;
  declare token: string;
  declare mediaUrl: string | null;
  declare attributes: Record<string, string | string[]> | null;
  declare email: string | null;
  declare deviceId: string | null;
  declare accountId: string | null;
  declare createdAt: CreationOptional<Date>;
  declare updatedAt: CreationOptional<Date>;

  static initModel(sequelize: Sequelize): void {
    Open311Request.init(
      {
        caseId: {
          type: DataTypes.BIGINT,
          primaryKey: true,
          get() {
            return asKey(this.getDataValue('caseId')) as string;
          },
        },
        clientId: { type: DataTypes.INTEGER, allowNull: false },
        token: { type: DataTypes.STRING(64), allowNull: false, unique: true },
        mediaUrl: DataTypes.STRING(1000),
        attributes: jsonText<Record<string, string | string[]>>('attributes'),
        email: DataTypes.STRING(254),
        deviceId: DataTypes.STRING(128),
        accountId: DataTypes.STRING(128),
        createdAt: DataTypes.DATE,
        updatedAt: DataTypes.DATE,
      },
      { sequelize, tableName: 'open311_requests', underscored: true },
    );
  }
}
