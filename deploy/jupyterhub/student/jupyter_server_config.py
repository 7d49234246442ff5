# 只给学生的 JupyterLab：没有评分面板（Formgrader）和课程列表（Course List）的服务器扩展。
# 学生仍然有“作业列表”（获取、提交）和“验证”（Validate）。
# 真正保护答案的是文件权限：老师的课程目录只有老师能读（setup_server.py 设为 700）。
# (Students' servers: the formgrader and course-list server extensions are off.)
c = get_config()  # noqa: F821

c.ServerApp.jpserver_extensions = {
    "nbgrader.server_extensions.formgrader": False,
    "nbgrader.server_extensions.course_list": False,
}
