# 机房服务器上每个人的 JupyterLab（老师和学生）共用的设置。JupyterHub 通过
# JUPYTER_CONFIG_PATH 把本目录交给每个人的服务器（见 ../jupyterhub_config.py）。
# (Settings for every single-user server on the hub: teachers and students.)
import os

c = get_config()  # noqa: F821

# 终端保留课程环境：JupyterLab 在后台运行（JupyterHub、systemd、nohup）时，默认会开一个
# “登录 shell”（bash -l），它读 /etc/profile 把 PATH 重置成系统默认，于是终端里
# `nbgrader: command not found`。这里改成普通的交互式 bash（读 ~/.bashrc，不读 /etc/profile），
# PATH 沿用服务器的，课程环境在最前面。
# (jupyter_server_terminals starts `$SHELL -l` when stdout is not a tty; a login shell resets
#  PATH from /etc/profile.  A non-login interactive shell keeps the server's PATH.)
c.ServerApp.terminado_settings = {
    "shell_command": ["/bin/bash" if os.path.exists("/bin/bash") else "/bin/sh", "-i"],
}

# 内存：一个内核（笔记本）闲置 1 小时就关掉，释放内存；整个 JupyterLab 2 小时没人用就退出
# （下次登录时 JupyterHub 会重新启动它，文件都在）。
c.MappingKernelManager.cull_idle_timeout = 3600
c.MappingKernelManager.cull_interval = 300
c.ServerApp.shutdown_no_activity_timeout = 7200
