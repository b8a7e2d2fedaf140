import { DataTypes, Model, type CreationOptional, type InferAttributes, type InferCreationAttributes, type Sequelize } from 'sequelize';
import { ROLES, type Role } from '../vocabulary.js';
export { ROLES, type Role };

export class User extends Model<InferAttributes<User>, InferCreationAttributes<User>> {
  declare id: CreationOptional<number>;
  declare username: string;
  declare displayName: string;
  declare role: Role;
  declare unitId: number | null;
  declare phone: string | null;
  declare passwordHash: string;
  declare active: CreationOptional<boolean>;
  declare createdAt: CreationOptional<Date>;
  declare updatedAt: CreationOptional<Date>;

  static initModel(sequelize: Sequelize): void {
    User.init(
      {
        id: { type: DataTypes.INTEGER, primaryKey: true, autoIncrement: true },
        username: { type: DataTypes.STRING(64), allowNull: false, unique: true },
        displayName: { type: DataTypes.STRING(64), allowNull: false },
        role: { type: DataTypes.STRING(24), allowNull: false, validate: { isIn: [ROLES as unknown as string[]] } },
        unitId: DataTypes.INTEGER,
        phone: DataTypes.STRING(20),
        passwordHash: { type: DataTypes.STRING(255), allowNull: false },
        active: { type: DataTypes.BOOLEAN, allowNull: false, defaultValue: true },
        createdAt: DataTypes.DATE,
        updatedAt: DataTypes.DATE,
      },
      { sequelize, tableName: 'users', underscored: true },
    );
  }
}

/** Which grids a grid worker patrols. */
export class UserGrid extends Model<InferAttributes<UserGrid>, InferCreationAttributes<UserGrid>> {
  declare userId: number;
  declare gridId: number;

  static initModel(sequelize: Sequelize): void {
    UserGrid.init(
      {
        userId: { type: DataTypes.INTEGER, primaryKey: true },
        gridId: { type: DataTypes.INTEGER, primaryKey: true },
      },
      { sequelize, tableName: 'user_grids', underscored: true, timestamps: false },
    );
  }
}
