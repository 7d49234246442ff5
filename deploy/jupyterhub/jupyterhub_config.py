# JupyterHub 配置：网店客服与客户关系管理 课程的机房服务器（一台 Linux 服务器，全班共用）
#
# 每个学生一个 Linux 账号（登录名 = nbgrader 里的学号），用学校服务器的账号密码登录（PAM）；
# 每人一个自己的 JupyterLab（中文界面、crm_helpers、作业列表），以自己的账号运行，
# 看不到别人的文件，也看不到老师的课程目录（答案和隐藏测试在那里）。
# 老师账号的 JupyterLab 直接打开课程目录，有评分面板（Formgrader）。
#
# 运行（root，见 README「机房/服务器部署」和 crm-jupyterhub.service）：
#   /opt/crm-course/.venv/bin/jupyterhub -f /opt/crm-course/deploy/jupyterhub/jupyterhub_config.py
#
# 需要改的设置（老师账号、学生用户组、交换目录、端口……）的默认值和说明在 setup_server.py 的
# DEFAULTS 里，用同名的环境变量修改（crm-jupyterhub.service 的 Environment=）。
#
# (A multi-user JupyterHub for the course: PAM login with the server's Unix accounts,
#  LocalProcessSpawner, one shared nbgrader exchange, formgrader for teachers only.
#  Settings: setup_server.DEFAULTS, overridden by environment variables of the same names;
#  tests/test_jupyterhub.py runs this file unchanged.)

import grp
import importlib.util
import os
import shutil
from pathlib import Path

c = get_config()  # noqa: F821  (provided by JupyterHub when it reads this file)

HERE = Path(__file__).resolve().parent

# ---- 设置：默认值和说明见 setup_server.py 的 DEFAULTS，用同名环境变量修改 ----
_spec = importlib.util.spec_from_file_location("crm_setup_server", HERE / "setup_server.py")
setup_server = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(setup_server)
SETTINGS = setup_server.settings()

TEACHERS = set(SETTINGS["CRM_HUB_TEACHERS"].split())
STUDENT_GROUP = SETTINGS["CRM_HUB_STUDENT_GROUP"]
VENV = Path(SETTINGS["CRM_HUB_VENV"])
EXCHANGE = SETTINGS["CRM_COURSE_EXCHANGE"]


def jupyter_config_path(spawner) -> str:
    """Extra Jupyter config folders: ``teacher/`` or ``student/`` on top of ``common/``."""
    role = "teacher" if spawner.user.name in TEACHERS else "student"
    return os.pathsep.join(str(HERE / layer) for layer in (role, "common"))


def teacher_course_dir(spawner) -> str:
    """The teacher's course folder (empty for students)."""
    if spawner.user.name not in TEACHERS:
        return ""
    return str(setup_server.course_dir(spawner.user.name, SETTINGS["CRM_HUB_COURSE_DIR"]))


def prepare_folders(spawner) -> None:
    """Before each start: a teacher's JupyterLab shows the course folder, as ``make lab`` does;
    a student's shows their home, where the lessons they do not have yet are copied."""
    if spawner.user.name in TEACHERS:
        spawner.notebook_dir = teacher_course_dir(spawner)
    else:
        try:
            setup_server.give_lessons(spawner.user.name, SETTINGS["CRM_HUB_LESSONS"])
        except (ValueError, OSError) as error:  # the student still gets their lab and homework
            spawner.log.error("没有给 %s 复制课堂笔记本：%s", spawner.user.name, error)


# ---- 登录：学校服务器的 Linux 账号和密码（PAM） ----
c.JupyterHub.authenticator_class = "pam"
c.Authenticator.admin_users = TEACHERS
c.Authenticator.allowed_users = TEACHERS
try:
    grp.getgrnam(STUDENT_GROUP)
    c.LocalAuthenticator.allowed_groups = {STUDENT_GROUP}
except KeyError:  # the group is created by setup_server.py; without it only teachers log in
    pass

# ---- 每个人的 JupyterLab：以自己的 Linux 账号运行在本机 ----
c.JupyterHub.spawner_class = "localprocess"
c.Spawner.cmd = [str(VENV / "bin" / "jupyterhub-singleuser")]
c.Spawner.default_url = "/lab"
c.Spawner.pre_spawn_hook = prepare_folders
c.Spawner.environment = {
    # 项目环境放在 PATH 最前面：终端里的 nbgrader、jupyter、python 都是课程环境里的那个
    # （nbgrader 建成绩库时还要按名字调用 alembic）。
    "PATH": os.pathsep.join([str(VENV / "bin"), "/usr/local/bin", "/usr/bin", "/bin"]),
    "CRM_COURSE_EXCHANGE": EXCHANGE,
    "JUPYTER_CONFIG_PATH": jupyter_config_path,
    "CRM_COURSE_DIR": teacher_course_dir,  # teacher/nbgrader_config.py loads the course's config
    "LANG": "C.UTF-8",  # 中文文件名和输出
}
# 全班同时开机时，第一次启动（建 matplotlib 字体缓存等）可能要一会儿。
c.Spawner.start_timeout = 120
c.Spawner.http_timeout = 120

# ---- 网址、代理 ----
c.JupyterHub.bind_url = SETTINGS["CRM_HUB_URL"]
_proxy = VENV / "node" / "node_modules" / ".bin" / "configurable-http-proxy"  # make proxy
if _proxy.exists():
    c.ConfigurableHTTPProxy.command = [str(_proxy)]
elif shutil.which("configurable-http-proxy"):
    c.ConfigurableHTTPProxy.command = [shutil.which("configurable-http-proxy")]
