# JupyterLab 从 course/ 目录启动（make lab）时，nbgrader 的“作业列表”和“评分”面板在这里读取设置。
# 真正的设置都在 assignments/nbgrader_config.py：课程根目录、本地交换目录、中文作答提示、超时。
# (JupyterLab runs in course/; nbgrader's server extensions read this file, which loads the
#  course's real config so formgrader and the Assignment List use course/assignments/.)
import os

c = get_config()  # noqa: F821
load_subconfig(os.path.join(os.path.dirname(os.path.abspath(__file__)), "assignments", "nbgrader_config.py"))  # noqa: F821
