import { DataTypes, Model, type CreationOptional, type InferAttributes, type InferCreationAttributes, type Sequelize } from 'sequelize';

/** A local override of the national holiday calendar: a declared day off or working day. */
export class CalendarDay extends Model<InferAttributes<CalendarDay>, InferCreationAttributes<CalendarDay>> {
  declare date: string;
  declare working: boolean;
  declare note: string | null;
  declare createdAt: CreationOptional<Date>;
  declare updatedAt: CreationOptional<Date>;

  static initModel(sequelize: Sequelize): void {
    CalendarDay.init(
      {
        date: { type: DataTypes.STRING(10), primaryKey: true, validate: { is: /^\d{4}-\d{2}-\d{2}$/ } },
        working: { type: DataTypes.BOOLEAN, allowNull: false },
        note: DataTypes.STRING(100),
        createdAt: DataTypes.DATE,
        updatedAt: DataTypes.DATE,
      },
      { sequelize, tableName: 'calendar_days', underscored: true },
    );
  }
}
