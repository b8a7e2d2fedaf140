import { DataTypes, Model, type CreationOptional, type InferAttributes, type InferCreationAttributes, type Sequelize } from 'sequelize';
import { type CameraEventOutcome } from '../vocabulary.js';
export { type CameraEventOutcome };
import { asKey } from './cases.js';
import { jsonText } from './json-text.js';

/** An AI camera in the registry; its events take their place (grid, coordinates) from here. */
export class CameraDevice extends Model<InferAttributes<CameraDevice>, InferCreationAttributes<CameraDevice>> {
  declare id: CreationOptional<number>;
  declare code: string;
  declare name: string;
  declare lat: number;
  declare lng: number;
  declare address: string | null;
  declare gridId: number | null;
  declare eventTypeCodes: string[];
  declare enabled: CreationOptional<boolean>;
  /** SHA-256 (hex) of the device's API key; null until a key is issued */
  declare apiKeyHash: string | null;
  declare keyRotatedAt: Date | null;
  declare lastSeenAt: Date | null;
  declare createdAt: CreationOptional<Date>;
  declare updatedAt: CreationOptional<Date>;

  static initModel(sequelize: Sequelize): void {
    CameraDevice.init(
      {
        id: { type: DataTypes.INTEGER, primaryKey: true, autoIncrement: true },
        code: { type: DataTypes.STRING(32), allowNull: false, unique: true },
        name: { type: DataTypes.STRING(100), allowNull: false },
        lat: { type: DataTypes.DOUBLE, allowNull: false },
        lng: { type: DataTypes.DOUBLE, allowNull: false },
        address: DataTypes.STRING(255),
        gridId: DataTypes.INTEGER,
        eventTypeCodes: jsonText<string[]>('eventTypeCodes', false),
        enabled: { type: DataTypes.BOOLEAN, allowNull: false, defaultValue: true },
        apiKeyHash: DataTypes.STRING(64),
        keyRotatedAt: DataTypes.DATE,
        lastSeenAt: DataTypes.DATE,
        createdAt: DataTypes.DATE,
        updatedAt: DataTypes.DATE,
      },
      { sequelize, tableName: 'camera_devices', underscored: true },
    );
  }
}

/** Device + event type → the case its repeats merge into. */
export class CameraCase extends Model<InferAttributes<CameraCase>, InferCreationAttributes<CameraCase>> {
  declare id: CreationOptional<string>;
  declare deviceId: number;
  declare eventTypeId: number;
  declare caseId: string;
  declare repeatCount: CreationOptional<number>;
  declare lastEventAt: Date;
  declare createdAt: CreationOptional<Date>;
  declare updatedAt: CreationOptional<Date>;

  static initModel(sequelize: Sequelize): void {
    CameraCase.init(
      {
        id: {
          type: DataTypes.BIGINT,
          primaryKey: true,
          autoIncrement: true,
          get() {
            return asKey(this.getDataValue('id'));
          },
        },
        deviceId: { type: DataTypes.INTEGER, allowNull: false },
        eventTypeId: { type: DataTypes.INTEGER, allowNull: false },
        caseId: {
          type: DataTypes.BIGINT,
          allowNull: false,
          get() {
            return asKey(this.getDataValue('caseId'));
          },
        },
        repeatCount: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 0 },
        lastEventAt: { type: DataTypes.DATE, allowNull: false },
        createdAt: DataTypes.DATE,
        updatedAt: DataTypes.DATE,
      },
      { sequelize, tableName: 'camera_cases', underscored: true },
    );
  }
}

/** One accepted camera event (refused ones are not stored); unique per device + eventId. */
export class CameraEvent extends Model<InferAttributes<CameraEvent>, InferCreationAttributes<CameraEvent>> {
  declare id: CreationOptional<string>;
  declare deviceId: number;
  declare eventId: string;
  declare eventTypeId: number;
  declare caseId: string;
  declare outcome: CameraEventOutcome;
  declare confidence: number;
  declare capturedAt: Date;
  declare snapshotUrl: string | null;
  declare createdAt: CreationOptional<Date>;

  static initModel(sequelize: Sequelize): void {
    CameraEvent.init(
      {
        id: {
          type: DataTypes.BIGINT,
          primaryKey: true,
          autoIncrement: true,
          get() {
            return asKey(this.getDataValue('id'));
          },
        },
        deviceId: { type: DataTypes.INTEGER, allowNull: false },
        eventId: { type: DataTypes.STRING(64), allowNull: false },
        eventTypeId: { type: DataTypes.INTEGER, allowNull: false },
        caseId: {
          type: DataTypes.BIGINT,
          allowNull: false,
          get() {
            return asKey(this.getDataValue('caseId'));
          },
        },
        outcome: { type: DataTypes.STRING(16), allowNull: false },
        confidence: { type: DataTypes.DOUBLE, allowNull: false },
        capturedAt: { type: DataTypes.DATE, allowNull: false },
        snapshotUrl: DataTypes.STRING(1024),
        createdAt: DataTypes.DATE,
      },
      { sequelize, tableName: 'camera_events', underscored: true, updatedAt: false },
    );
  }
}
