# nbgrader 配置：网店客服与客户关系管理 课程的作业（nbgrader course root）
#
# 日常用 crm-course 一条命令做一步（collect 收作业、grade 评分、feedback 反馈、grades 成绩、
# report 班级报告，见 README“教师快速上手”），它调用的就是下面这些 nbgrader 命令。
#
# 直接用 nbgrader 时（先激活虚拟环境 `source .venv/bin/activate`：nbgrader 建成绩库时要调用
# 同一环境里的 alembic 命令；然后都在本文件所在的目录 course/assignments/ 里运行）：
#   nbgrader generate_assignment ps03_service_kpis --force   # 由 source/ 生成学生版 release/
#   nbgrader release_assignment ps03_service_kpis            # 放到交换目录（JupyterHub/本机）
#   nbgrader collect ps03_service_kpis                       # 收作业
#   nbgrader autograde ps03_service_kpis                     # 自动评分
#   nbgrader generate_feedback ps03_service_kpis             # 生成反馈 HTML
#   nbgrader export                                          # 导出成绩 grades.csv
# 仓库里的 release/ 请用 `make release` 生成（不要手改）。评分前上面的
# generate_assignment 仍要运行一次（它建立成绩库 gradebook.db），之后再运行
# `make release`，把 release/ 恢复成仓库里的规范格式。
#
# 所有路径都从本文件的位置算出来，所以整个 course/assignments/ 目录
# 可以复制到任何地方（测试时就复制到临时目录里用）。

import os

from nbconvert.preprocessors import CSSHTMLHeaderPreprocessor
from nbgrader.preprocessors import GetGrades

from crm_course.answer_key import HideAnswerKey, feedback_template_dirs

c = get_config()  # noqa: F821  (get_config 由 nbgrader/traitlets 在读取本文件时提供)

# 本文件所在的目录 = 课程根目录
_here = os.path.dirname(os.path.abspath(__file__))

# ---- 课程与目录 ----
# 课程代号：JupyterHub 上区分不同课程；同一台服务器上每门课要不同。
c.CourseDirectory.course_id = "crm_course"
# 课程根目录：source/、release/、submitted/、autograded/、feedback/ 都在这里。
c.CourseDirectory.root = _here
# 成绩数据库默认就是 <课程根目录>/gradebook.db（已写进 .gitignore，不提交）。

# 复制作业文件夹时跳过的文件。source/ 里除 .ipynb 以外的文件
# （例如数据文件 orders.csv）都会原样复制到学生版 release/，
# 自动评分时也会从 source/ 重新复制一份，学生改不了。
c.CourseDirectory.ignore = [
    ".ipynb_checkpoints",
    "*.pyc",
    "__pycache__",
    "feedback",
    ".DS_Store",
    "Thumbs.db",
]

# ---- 交换目录（发作业、收作业用） ----
# 默认放在课程目录里的 exchange/，一台电脑上就能用。
# 机房服务器（deploy/jupyterhub/）上，所有人共用一个交换目录，例如 /srv/nbgrader/exchange：
# JupyterHub 通过环境变量 CRM_COURSE_EXCHANGE 告诉老师和学生的服务器它在哪里。
c.Exchange.root = os.environ.get("CRM_COURSE_EXCHANGE") or os.path.join(_here, "exchange")
# nbgrader release_assignment 会自己创建它；这里提前创建，
# 这样在发作业之前运行 nbgrader list 也不会报“目录不可写”。
try:
    os.makedirs(c.Exchange.root, exist_ok=True)
except OSError:  # 只读的位置（例如只读挂载的课程文件）就交给 nbgrader 报错
    pass

# ---- 学生版里的中文占位 ----
# 生成学生版时，### BEGIN SOLUTION … ### END SOLUTION 之间的答案换成下面的内容。
c.ClearSolutions.code_stub = {
    "python": '# 在这里写你的代码（写好后删掉下面这一行）\nraise NotImplementedError("请完成这道题")',
}
c.ClearSolutions.text_stub = "请在这里写下你的答案。"

# ---- 自动评分 ----
# 每个代码单元格最多运行 60 秒，超时就中断它、记 0 分，然后继续评后面的题。
# 为什么是 60 秒：最慢的正常单元格（import pandas/matplotlib 约 1 秒，生成 25050 位
# 顾客的模拟网店约 0.3 秒，开发电脑上实测）在学校的旧电脑或全班同时评分的服务器上
# 可能慢 10～20 倍，第一次使用 matplotlib 建字体缓存还要再等一会儿；60 秒留足余量，
# 又能让一个死循环最多只耽误 1 分钟。（nbgrader 的默认值是 30 秒。）
c.Execute.timeout = 60

# 学生不小心（或故意）删掉了“测试单元格”时，评分前按成绩数据库里保存的
# 原样把它放回去再运行，而不是直接记 0 分、也不会让成绩页一直显示“待人工评分”。
c.OverwriteCells.add_missing_cells = True
c.OverwriteCells.missing_cell_notification = (
    "这个单元格（{cell_id}）在提交的作业里被删掉了，nbgrader 已按原样放回。\n\n"
)

# ---- 反馈（generate_feedback）里不带标准答案 ----
# nbgrader 默认把隐藏测试（含标准答案）原样放进反馈 HTML。HideAnswerKey 把隐藏测试换成
# 一行说明、没通过的检查只显示中文提示，输出里的答案值也遮住（见 crm_course/answer_key.py）。
# 命令行、Formgrader 的按钮、crm-course feedback 都读这里，所以三条路都不会泄露答案。
# 截止以后要公布完整测试：加 --HideAnswerKey.show_hidden_tests=True（crm-course feedback --full-tests）。
c.GenerateFeedback.preprocessors = [GetGrades, HideAnswerKey, CSSHTMLHeaderPreprocessor]

# ---- 反馈页是中文的 ----
# nbgrader 自带的反馈模板写着 Score、Test cell、Student's answer。crm_course 包里的 templates/feedback/
# 是同名的中文模板；把它所在的目录放在模板目录的最前面，nbgrader 找 feedback 模板时就先找到它
# （nbgrader 自己的模板目录排在后面：Formgrader 还要用里面的 formgrade 模板）。
c.HTMLExporter.extra_template_basedirs = feedback_template_dirs()
