import { DataTypes, Model, type CreationOptional, type InferAttributes, type InferCreationAttributes, type Sequelize } from 'sequelize';
import { asKey } from './cases.js';

/** A bearer-token session; only the SHA-256 of the token is stored. */
export class Session extends Model<InferAttributes<Session>, InferCreationAttributes<Session>> {
  declare id: CreationOptional<number>;
  declare tokenHash: string;
  declare userId: number;
  declare expiresAt: Date;
  declare createdAt: CreationOptional<Date>;
  declare updatedAt: CreationOptional<Date>;

  static initModel(sequelize: Sequelize): void {
    Session.init(
      {
        id: { type: DataTypes.INTEGER, primaryKey: true, autoIncrement: true },
        tokenHash: { type: DataTypes.STRING(64), allowNull: false, unique: true },
        userId: { type: DataTypes.INTEGER, allowNull: false },
        expiresAt: { type: DataTypes.DATE, allowNull: false },
        createdAt: DataTypes.DATE,
        updatedAt: DataTypes.DATE,
      },
      { sequelize, tableName: 'sessions', underscored: true },
    );
  }
}

/** `Idempotency-Key` → the first response; `statusCode` null while the first request is still running. */
export class IdempotencyRecord extends Model<InferAttributes<IdempotencyRecord>, InferCreationAttributes<IdempotencyRecord>> {
  declare id: CreationOptional<number>;
  declare scope: string;
  declare requestHash: string;
  declare statusCode: number | null;
  declare responseBody: string | null;
  declare createdAt: CreationOptional<Date>;
  declare updatedAt: CreationOptional<Date>;

  static initModel(sequelize: Sequelize): void {
    IdempotencyRecord.init(
      {
        id: { type: DataTypes.INTEGER, primaryKey: true, autoIncrement: true },
        scope: { type: DataTypes.STRING(191), allowNull: false, unique: true },
        requestHash: { type: DataTypes.STRING(64), allowNull: false },
        statusCode: DataTypes.INTEGER,
        responseBody: DataTypes.TEXT,
        createdAt: DataTypes.DATE,
        updatedAt: DataTypes.DATE,
      },
      { sequelize, tableName: 'idempotency_keys', underscored: true },
    );
  }
}

/** Process instance → case: the case's own instance and every instance it called. */
export class CaseInstance extends Model<InferAttributes<CaseInstance>, InferCreationAttributes<CaseInstance>> {
  declare processInstanceKey: string;
  declare caseId: string;
  declare createdAt: CreationOptional<Date>;
  declare updatedAt: CreationOptional<Date>;

  static initModel(sequelize: Sequelize): void {
    CaseInstance.init(
      {
        processInstanceKey: { type: DataTypes.STRING(32), primaryKey: true },
        caseId: {
          type: DataTypes.BIGINT,
          allowNull: false,
          get() {
            return asKey(this.getDataValue('caseId'))!;
          },
        },
        createdAt: DataTypes.DATE,
        updatedAt: DataTypes.DATE,
      },
      { sequelize, tableName: 'case_instances', underscored: true },
    );
  }
}
