import { DataTypes, Model, type CreationOptional, type InferAttributes, type InferCreationAttributes, type Sequelize } from 'sequelize';
import { UNIT_KINDS, type UnitKind } from '../vocabulary.js';
export { UNIT_KINDS, type UnitKind };

/** A member unit (成员单位): the centre, a department, a township/street, a community or a utility. */
export class Unit extends Model<InferAttributes<Unit>, InferCreationAttributes<Unit>> {
  declare id: CreationOptional<number>;
  declare code: string;
  declare name: string;
  declare shortName: string | null;
  declare kind: UnitKind;
  declare parentId: number | null;
  declare contactPerson: string | null;
  declare contactPhone: string | null;
  declare active: CreationOptional<boolean>;
  declare createdAt: CreationOptional<Date>;
  declare updatedAt: CreationOptional<Date>;

  static initModel(sequelize: Sequelize): void {
    Unit.init(
      {
        id: { type: DataTypes.INTEGER, primaryKey: true, autoIncrement: true },
        code: { type: DataTypes.STRING(32), allowNull: false, unique: true },
        name: { type: DataTypes.STRING(100), allowNull: false },
        shortName: DataTypes.STRING(50),
        kind: { type: DataTypes.STRING(16), allowNull: false, validate: { isIn: [UNIT_KINDS as unknown as string[]] } },
        parentId: DataTypes.INTEGER,
        contactPerson: DataTypes.STRING(50),
        contactPhone: DataTypes.STRING(20),
        active: { type: DataTypes.BOOLEAN, allowNull: false, defaultValue: true },
        createdAt: DataTypes.DATE,
        updatedAt: DataTypes.DATE,
      },
      { sequelize, tableName: 'units', underscored: true },
    );
  }
}
