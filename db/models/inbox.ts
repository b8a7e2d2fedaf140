import { DataTypes, Model, type CreationOptional, type InferAttributes, type InferCreationAttributes, type Sequelize } from 'sequelize';
import { type InboxTaskState } from '../vocabulary.js';
export { type InboxTaskState };
import { asKey, Case, type WarningLight } from './cases.js';
import { jsonText } from './json-text.js';

/**
 * The application's copy of an engine user task, fed by user-task lifecycle events,
 * so the task list filters by unit, light and due time with plain indexed SQL.
 */
export class InboxTask extends Model<InferAttributes<InboxTask>, InferCreationAttributes<InboxTask>> {
  declare id: CreationOptional<string>;
  declare userTaskKey: string;
  declare caseId: string | null;
  /** the case's created_at, kept by the model (see the hook): the cases of a unit's tasks page in the cases' order */
  declare caseCreatedAt: CreationOptional<Date | null>;
  declare processInstanceKey: string | null;
  declare elementId: string;
  declare name: string;
  declare formId: string | null;
  declare unitId: number | null;
  declare assignee: string | null;
  declare candidateGroups: string[] | null;
  declare state: InboxTaskState;
  declare priority: CreationOptional<number>;
  declare dueAt: Date | null;
  declare followUpAt: Date | null;
  declare warningLight: CreationOptional<WarningLight>;
  declare completedAt: Date | null;
  declare completedBy: string | null;
  declare createdAt: CreationOptional<Date>;
  declare updatedAt: CreationOptional<Date>;

  static initModel(sequelize: Sequelize): void {
    InboxTask.init(
      {
        id: {
          type: DataTypes.BIGINT,
          primaryKey: true,
          autoIncrement: true,
          get() {
            return asKey(this.getDataValue('id'));
          },
        },
        userTaskKey: { type: DataTypes.STRING(32), allowNull: false, unique: true },
        caseId: {
          type: DataTypes.BIGINT,
          get() {
            return asKey(this.getDataValue('caseId'));
          },
        },
        caseCreatedAt: { type: DataTypes.DATE, allowNull: true },
        processInstanceKey: DataTypes.STRING(32),
        elementId: { type: DataTypes.STRING(64), allowNull: false },
        name: { type: DataTypes.STRING(100), allowNull: false },
        formId: DataTypes.STRING(64),
        unitId: DataTypes.INTEGER,
        assignee: DataTypes.STRING(64),
        candidateGroups: jsonText<string[]>('candidateGroups'),
        state: { type: DataTypes.STRING(16), allowNull: false },
        priority: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 50 },
        dueAt: DataTypes.DATE,
        followUpAt: DataTypes.DATE,
        warningLight: { type: DataTypes.STRING(8), allowNull: false, defaultValue: 'green' },
        completedAt: DataTypes.DATE,
        completedBy: DataTypes.STRING(64),
        createdAt: DataTypes.DATE,
        updatedAt: DataTypes.DATE,
      },
      {
        sequelize,
        tableName: 'inbox_tasks',
        underscored: true,
        hooks: {
          // every writer goes through the model (the inbox sync, completions, tests), so the copy is made here once
          async beforeSave(task, options) {
            if (task.caseId === null) task.caseCreatedAt = null;
            else if (!task.caseCreatedAt || task.changed('caseId')) {
              const c = await Case.findByPk(task.caseId, { attributes: ['id', 'createdAt'], transaction: options.transaction ?? null });
              task.caseCreatedAt = c?.createdAt ?? null;
            }
          },
        },
      },
    );
  }
}
