# JupyterLab 从 course/ 目录启动（make lab）时，nbgrader 的“作业列表”和“评分”面板在这里读取设置。
# 真正的设置都在 assignments/nbgrader_config.py：课程根目录、本地交换目录、中文作答提示、超时。
# 学生在“作业列表”里获取（fetch）的作业放在本目录 course/ 下，例如 course/ps03_service_kpis/。
# (JupyterLab runs in course/; nbgrader's server extensions read nbgrader_config.py from the
#  server's working directory, so this file loads the course's real config and formgrader and
#  the Assignment List use course/assignments/ and its local exchange.  Fetched assignments go
#  next to the lessons, in course/<assignment>/ — git-ignored.)
import os

c = get_config()  # noqa: F821
_here = os.path.dirname(os.path.abspath(__file__))
load_subconfig(os.path.join(_here, "assignments", "nbgrader_config.py"))  # noqa: F821
c.Exchange.assignment_dir = _here  # nbgrader's default "." means the server's working directory
