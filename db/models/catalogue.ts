import { DataTypes, Model, type CreationOptional, type InferAttributes, type InferCreationAttributes, type Sequelize } from 'sequelize';
import { CATEGORIES, type Category, type Clock, type ExtraStage, type RoutingRule } from '../vocabulary.js';
export { CATEGORIES, type Category, type Clock, type ExtraStage, type RoutingRule };
import { jsonText } from './json-text.js';

/** An event type (小类) of the catalogue, with its routing rule and stage time limits. */
export class EventType extends Model<InferAttributes<EventType>, InferCreationAttributes<EventType>> {
  declare id: CreationOptional<number>;
  declare code: string;
  declare name: string;
  declare kind: '部件' | '事件';
  declare major: string;
  declare category: Category;
  declare filingCondition: string;
  declare closingCondition: string;
  declare routingRule: RoutingRule;
  declare ownerUnitId: number;
  declare clock: Clock;
  declare acceptLimit: string;
  declare dispatchLimit: string;
  declare handleLimit: string;
  declare verifyLimit: string;
  declare extraStages: ExtraStage[] | null;
  declare emergency: boolean;
  declare keywords: string[] | null;
  declare active: CreationOptional<boolean>;
  declare createdAt: CreationOptional<Date>;
  declare updatedAt: CreationOptional<Date>;

  static initModel(sequelize: Sequelize): void {
    EventType.init(
      {
        id: { type: DataTypes.INTEGER, primaryKey: true, autoIncrement: true },
        code: { type: DataTypes.STRING(32), allowNull: false, unique: true },
        name: { type: DataTypes.STRING(64), allowNull: false },
        kind: { type: DataTypes.STRING(4), allowNull: false },
        major: { type: DataTypes.STRING(64), allowNull: false },
        category: { type: DataTypes.STRING(16), allowNull: false },
        filingCondition: { type: DataTypes.TEXT, allowNull: false },
        closingCondition: { type: DataTypes.TEXT, allowNull: false },
        routingRule: { type: DataTypes.STRING(4), allowNull: false },
        ownerUnitId: { type: DataTypes.INTEGER, allowNull: false },
        clock: { type: DataTypes.STRING(8), allowNull: false },
        acceptLimit: { type: DataTypes.STRING(16), allowNull: false },
        dispatchLimit: { type: DataTypes.STRING(16), allowNull: false },
        handleLimit: { type: DataTypes.STRING(16), allowNull: false },
        verifyLimit: { type: DataTypes.STRING(16), allowNull: false },
        extraStages: jsonText<ExtraStage[]>('extraStages'),
        emergency: { type: DataTypes.BOOLEAN, allowNull: false, defaultValue: false },
        keywords: jsonText<string[]>('keywords'),
        active: { type: DataTypes.BOOLEAN, allowNull: false, defaultValue: true },
        createdAt: DataTypes.DATE,
        updatedAt: DataTypes.DATE,
      },
      { sequelize, tableName: 'event_types', underscored: true },
    );
  }
}

/** A governance item (基层治理事项) and the unit responsible for it. */
export class GovernanceItem extends Model<InferAttributes<GovernanceItem>, InferCreationAttributes<GovernanceItem>> {
  declare id: CreationOptional<number>;
  declare code: string;
  declare name: string;
  declare category: Category;
  declare eventTypeId: number | null;
  declare responsibleUnitId: number;
  declare assistingUnitCodes: string[] | null;
  declare basis: string | null;
  declare createdAt: CreationOptional<Date>;
  declare updatedAt: CreationOptional<Date>;

  static initModel(sequelize: Sequelize): void {
    GovernanceItem.init(
      {
        id: { type: DataTypes.INTEGER, primaryKey: true, autoIncrement: true },
        code: { type: DataTypes.STRING(32), allowNull: false, unique: true },
        name: { type: DataTypes.STRING(200), allowNull: false },
        category: { type: DataTypes.STRING(16), allowNull: false },
        eventTypeId: DataTypes.INTEGER,
        responsibleUnitId: { type: DataTypes.INTEGER, allowNull: false },
        assistingUnitCodes: jsonText<string[]>('assistingUnitCodes'),
        basis: DataTypes.TEXT,
        createdAt: DataTypes.DATE,
        updatedAt: DataTypes.DATE,
      },
      { sequelize, tableName: 'governance_items', underscored: true },
    );
  }
}
