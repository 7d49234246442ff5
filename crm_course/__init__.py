"""Teacher tooling for the course: a thin, tested layer around nbgrader.

教师工具：``crm-course`` 命令（收作业 collect、评分 grade、反馈 feedback、成绩 grades、
班级报告 report）和反馈里隐藏标准答案的 nbgrader 预处理器
（:mod:`crm_course.answer_key`）。成绩库始终是 nbgrader 自己的 ``gradebook.db``。

学生用的是 :mod:`crm_helpers`；本包只给老师用，不会发给学生。
"""

__all__: list[str] = []
