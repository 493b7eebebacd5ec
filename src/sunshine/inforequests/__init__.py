"""Information requests (依申请公开) under the 2019 《政府信息公开条例》 and the annual report."""
