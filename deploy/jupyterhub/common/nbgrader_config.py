# 机房服务器上所有人的 nbgrader 设置：课程代号和共用的交换目录。
# 老师的课程目录里还有 course/assignments/nbgrader_config.py（评分设置），它优先。
# (nbgrader settings for everyone on the hub: the course id and the shared exchange.)
import os

c = get_config()  # noqa: F821

c.CourseDirectory.course_id = "crm_course"  # 与 course/assignments/nbgrader_config.py 相同
c.Exchange.root = os.environ.get("CRM_COURSE_EXCHANGE", "/srv/nbgrader/exchange")
