import { DataTypes, Model, type CreationOptional, type InferAttributes, type InferCreationAttributes, type Sequelize } from 'sequelize';
import { type Polygon } from '../vocabulary.js';
export { type Polygon };
import { jsonText } from './json-text.js';

/** A grid (网格): the smallest territorial unit, patrolled by its grid workers. */
export class Grid extends Model<InferAttributes<Grid>, InferCreationAttributes<Grid>> {
  declare id: CreationOptional<number>;
  declare code: string;
  declare name: string;
  declare townshipId: number;
  declare communityId: number;
  declare centroidLng: number;
  declare centroidLat: number;
  declare polygon: Polygon | null;
  declare gridKind: CreationOptional<string>;
  /** false: switched off in the registry (migration 0010); intake places no new case in it */
  declare active: CreationOptional<boolean>;
  declare createdAt: CreationOptional<Date>;
  declare updatedAt: CreationOptional<Date>;

  static initModel(sequelize: Sequelize): void {
    Grid.init(
      {
        id: { type: DataTypes.INTEGER, primaryKey: true, autoIncrement: true },
        code: { type: DataTypes.STRING(32), allowNull: false, unique: true },
        name: { type: DataTypes.STRING(100), allowNull: false },
        townshipId: { type: DataTypes.INTEGER, allowNull: false },
        communityId: { type: DataTypes.INTEGER, allowNull: false },
        centroidLng: { type: DataTypes.DOUBLE, allowNull: false },
        centroidLat: { type: DataTypes.DOUBLE, allowNull: false },
        polygon: jsonText<Polygon>('polygon'),
        gridKind: { type: DataTypes.STRING(8), allowNull: false, defaultValue: '综合' },
        active: { type: DataTypes.BOOLEAN, allowNull: false, defaultValue: true },
        createdAt: DataTypes.DATE,
        updatedAt: DataTypes.DATE,
      },
      { sequelize, tableName: 'grids', underscored: true },
    );
  }
}
