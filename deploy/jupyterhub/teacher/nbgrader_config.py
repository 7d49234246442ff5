# 只给老师：不管从哪个文件夹运行 nbgrader（评分面板、终端），都读这位老师课程目录里的设置
# （课程根目录 assignments/、中文作答提示、超时……）。JupyterHub 用环境变量 CRM_COURSE_DIR
# 告诉老师的服务器课程目录在哪里（见 ../jupyterhub_config.py）。
# (Teachers only: nbgrader loads the course's own config wherever it runs.)
import os

c = get_config()  # noqa: F821

_course = os.environ.get("CRM_COURSE_DIR")
if _course and os.path.isfile(os.path.join(_course, "nbgrader_config.py")):
    load_subconfig(os.path.join(_course, "nbgrader_config.py"))  # noqa: F821
