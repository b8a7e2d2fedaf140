import { DataTypes, Model, type CreationOptional, type InferAttributes, type InferCreationAttributes, type Sequelize } from 'sequelize';
import { CASE_STATUSES, CHANNELS, type CaseStatus, type Channel, type WarningLight } from '../vocabulary.js';
export { CASE_STATUSES, CHANNELS, type CaseStatus, type Channel, type WarningLight };

/**
 * One case (案卷) whatever channel it came from. `id` is a BIGINT and travels as a string;
 * `processInstanceKey` is the engine's 64-bit key, also a string.
 */
export class Case extends Model<InferAttributes<Case>, InferCreationAttributes<Case>> {
  declare id: CreationOptional<string>;
  declare caseNo: string;
  declare channel: Channel;
  declare reporterName: string | null;
  declare reporterPhone: string | null;
  declare reporterUserId: number | null;
  declare trackingToken: string;
  declare description: string;
  declare eventTypeId: number | null;
  declare category: string | null;
  declare lng: number | null;
  declare lat: number | null;
  declare address: string | null;
  declare gridId: number | null;
  declare townshipId: number | null;
  declare status: CaseStatus;
  declare priority: CreationOptional<number>;
  declare unitId: number | null;
  declare acceptDueAt: Date | null;
  declare dispatchDueAt: Date | null;
  declare handleDueAt: Date | null;
  declare verifyDueAt: Date | null;
  declare dueAt: Date | null;
  declare escalationLevel: CreationOptional<number>;
  declare warningLight: CreationOptional<WarningLight>;
  declare processInstanceKey: string | null;
  declare processId: string | null;
  declare mergedIntoId: string | null;
  declare duplicateCount: CreationOptional<number>;
  declare reworkCount: CreationOptional<number>;
  declare extensionCount: CreationOptional<number>;
  declare returnCount: CreationOptional<number>;
  declare satisfaction: string | null;
  declare acceptedAt: Date | null;
  declare dispatchedAt: Date | null;
  declare handledAt: Date | null;
  declare closedAt: Date | null;
  declare createdAt: CreationOptional<Date>;
  declare updatedAt: CreationOptional<Date>;

  static initModel(sequelize: Sequelize): void {
    // A fresh object per column: Sequelize writes `field`/`fieldName` into the attribute object it is
    // given, so one shared object made all five counters read and write `escalation_level`.
    const counter = () => ({ type: DataTypes.INTEGER, allowNull: false, defaultValue: 0 });
    Case.init(
      {
        id: {
          type: DataTypes.BIGINT,
          primaryKey: true,
          autoIncrement: true,
          get() {
            return asKey(this.getDataValue('id'));
          },
        },
        caseNo: { type: DataTypes.STRING(32), allowNull: false, unique: true },
        channel: { type: DataTypes.STRING(16), allowNull: false, validate: { isIn: [CHANNELS as unknown as string[]] } },
        reporterName: DataTypes.STRING(64),
        reporterPhone: DataTypes.STRING(20),
        reporterUserId: DataTypes.INTEGER,
        trackingToken: { type: DataTypes.STRING(64), allowNull: false, unique: true },
        description: { type: DataTypes.TEXT, allowNull: false },
        eventTypeId: DataTypes.INTEGER,
        category: DataTypes.STRING(16),
        lng: DataTypes.DOUBLE,
        lat: DataTypes.DOUBLE,
        address: DataTypes.STRING(255),
        gridId: DataTypes.INTEGER,
        townshipId: DataTypes.INTEGER,
        status: { type: DataTypes.STRING(16), allowNull: false, validate: { isIn: [CASE_STATUSES as unknown as string[]] } },
        priority: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 50 },
        unitId: DataTypes.INTEGER,
        acceptDueAt: DataTypes.DATE,
        dispatchDueAt: DataTypes.DATE,
        handleDueAt: DataTypes.DATE,
        verifyDueAt: DataTypes.DATE,
        dueAt: DataTypes.DATE,
        escalationLevel: counter(),
        warningLight: { type: DataTypes.STRING(8), allowNull: false, defaultValue: 'green' },
        processInstanceKey: DataTypes.STRING(32),
        processId: DataTypes.STRING(64),
        mergedIntoId: {
          type: DataTypes.BIGINT,
          get() {
            return asKey(this.getDataValue('mergedIntoId'));
          },
        },
        duplicateCount: counter(),
        reworkCount: counter(),
        extensionCount: counter(),
        returnCount: counter(),
        satisfaction: DataTypes.STRING(16),
        acceptedAt: DataTypes.DATE,
        dispatchedAt: DataTypes.DATE,
        handledAt: DataTypes.DATE,
        closedAt: DataTypes.DATE,
        createdAt: DataTypes.DATE,
        updatedAt: DataTypes.DATE,
      },
      { sequelize, tableName: 'cases', underscored: true },
    );
  }
}

/** BIGINT ids come back as numbers from SQLite and strings from MySQL: always hand out strings. */
export function asKey(value: unknown): string | null {
  return value === null || value === undefined ? null : String(value);
}
